using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registry.Catalog.Compaction;

namespace Switchboard.Registry.Storage;

/// <summary>
/// Reads a stored instance (the snake_case JSON the stores write) straight into a <see cref="ServiceInstance"/> holding
/// shared values. The serializer's metadata path for this record (init-only properties, read as constructor arguments:
/// boxed, cached, then copied) cost most of a restart's time at a million instances; this reader takes the shape the
/// stores write and declines anything else (a null, an unexpected token, a missing required field, a repeated metadata
/// key, a field the stores always write that is missing), which the caller then reads with the serializer, so the result
/// and the errors are the serializer's (which leaves a missing field null rather than at its default).
/// </summary>
internal static class InstanceJsonReader
{
    private static readonly DurationJsonConverter Durations = new();
    private static readonly HealthStatusJsonConverter Statuses = new();
    private const int AllWritten = (1 << 13) - 1;

    /// <summary>The instance in <paramref name="json"/> (one JSON object, nothing after it); false when it is not in the expected shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    public static bool TryRead(ReadOnlySpan<byte> json, out ServiceInstance? instance)
    {
        instance = null;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || !TryReadObject(ref reader, out instance) || reader.Read())
            {
                instance = null;
                return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            instance = null;
            return false;
        }
    }

    /// <summary>A journal record (<c>{"i":N,"put":{...}}</c> or <c>{"i":N,"del":"id"}</c>); false when it is not in that shape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    public static bool TryReadRecord(ReadOnlySpan<byte> json, out JournalRecord? record)
    {
        record = null;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            long? index = null;
            ServiceInstance? put = null;
            string? del = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader;
                if (!reader.Read())
                    return false;
                if (name.ValueTextEquals("i"u8) && reader.TokenType == JsonTokenType.Number)
                    index = reader.GetInt64();
                else if (name.ValueTextEquals("put"u8) && put is null && TryReadObject(ref reader, out var instance))
                    put = instance;
                else if (name.ValueTextEquals("del"u8) && reader.TokenType == JsonTokenType.String)
                    del = reader.GetString();
                else
                    return false;
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || index is null || (put is null) == (del is null))
                return false;
            record = new JournalRecord(index.Value, put, del);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads the object the reader is on (its start token), leaving the reader on its end token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryReadObject(ref Utf8JsonReader reader, out ServiceInstance? instance)
    {
        instance = null;
        if (reader.TokenType != JsonTokenType.StartObject)
            return false;
        string? id = null, service = null, host = null;
        int? port = null;
        string protocol = "http", path = "", version = "", zone = "", output = "";
        var weight = 1;
        IReadOnlyList<string> tags = [];
        IReadOnlyDictionary<string, string> metadata = ServiceInstance.EmptyMetadata;
        var status = default(HealthStatus);
        TimeSpan? ttl = null;
        IReadOnlyList<InstanceCheck> checks = [];
        var registeredAt = default(DateTimeOffset);
        long createIndex = 0, modifyIndex = 0;
        var seen = 0; // one bit per field the stores always write (all but ttl, left out when there is none)
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader;
            if (!reader.Read())
                return false;
            if (name.ValueTextEquals("instance_id"u8)) { if (!TryString(ref reader, out id)) return false; }
            else if (name.ValueTextEquals("service_name"u8)) { if (!TryString(ref reader, out service)) return false; }
            else if (name.ValueTextEquals("host"u8)) { if (!TryString(ref reader, out host)) return false; }
            else if (name.ValueTextEquals("port"u8)) { if (reader.TokenType != JsonTokenType.Number) return false; port = reader.GetInt32(); }
            else if (name.ValueTextEquals("protocol"u8)) { if (!TryString(ref reader, out protocol!)) return false; seen |= 1 << 0; }
            else if (name.ValueTextEquals("path"u8)) { if (!TryString(ref reader, out path!)) return false; seen |= 1 << 1; }
            else if (name.ValueTextEquals("tags"u8)) { if (!TryTags(ref reader, out tags)) return false; seen |= 1 << 2; }
            else if (name.ValueTextEquals("metadata"u8)) { if (!TryMetadata(ref reader, out metadata)) return false; seen |= 1 << 3; }
            else if (name.ValueTextEquals("version"u8)) { if (!TryString(ref reader, out version!)) return false; seen |= 1 << 4; }
            else if (name.ValueTextEquals("weight"u8)) { if (reader.TokenType != JsonTokenType.Number) return false; weight = reader.GetInt32(); seen |= 1 << 5; }
            else if (name.ValueTextEquals("zone"u8)) { if (!TryString(ref reader, out zone!)) return false; seen |= 1 << 6; }
            else if (name.ValueTextEquals("status"u8)) { if (reader.TokenType != JsonTokenType.String) return false; status = Statuses.Read(ref reader, typeof(HealthStatus), JournalJsonContext.Default.Options); seen |= 1 << 7; }
            else if (name.ValueTextEquals("ttl"u8)) { ttl = reader.TokenType == JsonTokenType.Null ? null : Durations.Read(ref reader, typeof(TimeSpan), JournalJsonContext.Default.Options); }
            else if (name.ValueTextEquals("checks"u8))
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                    return false;
                checks = JsonSerializer.Deserialize(ref reader, JournalJsonContext.Default.IReadOnlyListInstanceCheck) ?? [];
                seen |= 1 << 8;
            }
            else if (name.ValueTextEquals("output"u8)) { if (!TryString(ref reader, out output!)) return false; seen |= 1 << 9; }
            else if (name.ValueTextEquals("registered_at"u8)) { if (reader.TokenType != JsonTokenType.String) return false; registeredAt = reader.GetDateTimeOffset(); seen |= 1 << 10; }
            else if (name.ValueTextEquals("create_index"u8)) { if (reader.TokenType != JsonTokenType.Number) return false; createIndex = reader.GetInt64(); seen |= 1 << 11; }
            else if (name.ValueTextEquals("modify_index"u8)) { if (reader.TokenType != JsonTokenType.Number) return false; modifyIndex = reader.GetInt64(); seen |= 1 << 12; }
            else
                reader.Skip(); // base_url (computed) and anything unknown, as the serializer ignores them
        }
        if (reader.TokenType != JsonTokenType.EndObject || id is null || service is null || host is null || port is null || seen != AllWritten)
            return false;
        instance = new ServiceInstance
        {
            InstanceId = id,
            ServiceName = SharedValues.String(service),
            Host = host,
            Port = port.Value,
            Protocol = SharedValues.String(protocol),
            Path = SharedValues.String(path),
            Tags = tags,
            Metadata = metadata,
            Version = SharedValues.String(version),
            Weight = weight,
            Zone = SharedValues.String(zone),
            Status = status,
            Ttl = ttl,
            Checks = checks,
            Output = output.Length == 0 ? string.Empty : output,
            RegisteredAt = registeredAt,
            CreateIndex = createIndex,
            ModifyIndex = modifyIndex,
        };
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return value is not null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryTags(ref Utf8JsonReader reader, out IReadOnlyList<string> tags)
    {
        tags = [];
        if (reader.TokenType != JsonTokenType.StartArray)
            return false;
        var list = new List<string>(4);
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
            list.Add(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.EndArray)
            return false;
        tags = SharedValues.Tags(list);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryMetadata(ref Utf8JsonReader reader, out IReadOnlyDictionary<string, string> metadata)
    {
        metadata = ServiceInstance.EmptyMetadata;
        if (reader.TokenType != JsonTokenType.StartObject)
            return false;
        var entries = new Dictionary<string, string>(4, StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !entries.TryAdd(key, reader.GetString()!))
                return false;
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            return false;
        metadata = SharedValues.Metadata(entries);
        return true;
    }
}
