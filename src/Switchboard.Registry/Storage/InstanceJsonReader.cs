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
            if (!reader.Read() || !TryReadObject(json, ref reader, out instance) || reader.Read())
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
                else if (name.ValueTextEquals("put"u8) && put is null && TryReadObject(json, ref reader, out var instance))
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

    /// <summary>Reads the object the reader (over <paramref name="json"/>) is on, its start token, leaving the reader on its end token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryReadObject(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, out ServiceInstance? instance)
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
            if (reader.ValueIsEscaped)
                return false; // an escaped name (never written by the stores): the serializer reads it
            var field = Identify(reader.ValueSpan);
            if (!reader.Read())
                return false;
            switch (field)
            {
                case Field.InstanceId: if (!TryString(ref reader, out id)) return false; break;
                case Field.ServiceName: if (!TryShared(ref reader, out service)) return false; break;
                case Field.Host: if (!TryString(ref reader, out host)) return false; break;
                case Field.Port: if (reader.TokenType != JsonTokenType.Number) return false; port = reader.GetInt32(); break;
                case Field.Protocol: if (!TryShared(ref reader, out protocol!)) return false; seen |= 1 << 0; break;
                case Field.Path: if (!TryShared(ref reader, out path!)) return false; seen |= 1 << 1; break;
                case Field.Tags: if (!TryRecent(json, ref reader, TagsKind, out var readTags)) return false; tags = (IReadOnlyList<string>)readTags!; seen |= 1 << 2; break;
                case Field.Metadata: if (!TryRecent(json, ref reader, MetadataKind, out var readMap)) return false; metadata = (IReadOnlyDictionary<string, string>)readMap!; seen |= 1 << 3; break;
                case Field.Version: if (!TryShared(ref reader, out version!)) return false; seen |= 1 << 4; break;
                case Field.Weight: if (reader.TokenType != JsonTokenType.Number) return false; weight = reader.GetInt32(); seen |= 1 << 5; break;
                case Field.Zone: if (!TryShared(ref reader, out zone!)) return false; seen |= 1 << 6; break;
                case Field.Status: if (reader.TokenType != JsonTokenType.String) return false; status = (HealthStatus)Recent(ref reader, StatusKind, static (ref r) => Statuses.Read(ref r, typeof(HealthStatus), JournalJsonContext.Default.Options)); seen |= 1 << 7; break;
                case Field.Ttl: ttl = reader.TokenType == JsonTokenType.Null ? null : (TimeSpan)Recent(ref reader, reader.TokenType == JsonTokenType.String ? TtlTextKind : TtlNumberKind, static (ref r) => Durations.Read(ref r, typeof(TimeSpan), JournalJsonContext.Default.Options)); break;
                case Field.Checks:
                    if (reader.TokenType != JsonTokenType.StartArray)
                        return false;
                    var next = reader;
                    if (next.Read() && next.TokenType == JsonTokenType.EndArray)
                        reader = next; // most instances have none: no serializer call
                    else
                        checks = JsonSerializer.Deserialize(ref reader, JournalJsonContext.Default.IReadOnlyListInstanceCheck) ?? [];
                    seen |= 1 << 8;
                    break;
                case Field.Output: if (!TryString(ref reader, out output!)) return false; seen |= 1 << 9; break;
                case Field.RegisteredAt: if (reader.TokenType != JsonTokenType.String) return false; registeredAt = reader.GetDateTimeOffset(); seen |= 1 << 10; break;
                case Field.CreateIndex: if (reader.TokenType != JsonTokenType.Number) return false; createIndex = reader.GetInt64(); seen |= 1 << 11; break;
                case Field.ModifyIndex: if (reader.TokenType != JsonTokenType.Number) return false; modifyIndex = reader.GetInt64(); seen |= 1 << 12; break;
                default:
                    reader.Skip(); // base_url (computed) and anything unknown, as the serializer ignores them
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || id is null || service is null || host is null || port is null || seen != AllWritten)
            return false;
        instance = new ServiceInstance
        {
            InstanceId = id,
            ServiceName = service,
            Host = host,
            Port = port.Value,
            Protocol = protocol,
            Path = path,
            Tags = tags,
            Metadata = metadata,
            Version = version,
            Weight = weight,
            Zone = zone,
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

    /// <summary>The fields the stores write.</summary>
    private enum Field { Unknown, InstanceId, ServiceName, Host, Port, Protocol, Path, Tags, Metadata, Version, Weight, Zone, Status, Ttl, Checks, Output, RegisteredAt, CreateIndex, ModifyIndex }

    /// <summary>The field a property name (unescaped) names: by length first, so a name costs a comparison or two, not one per field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static Field Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("ttl"u8) => Field.Ttl,
        4 when name.SequenceEqual("host"u8) => Field.Host,
        4 when name.SequenceEqual("port"u8) => Field.Port,
        4 when name.SequenceEqual("path"u8) => Field.Path,
        4 when name.SequenceEqual("tags"u8) => Field.Tags,
        4 when name.SequenceEqual("zone"u8) => Field.Zone,
        6 when name.SequenceEqual("weight"u8) => Field.Weight,
        6 when name.SequenceEqual("status"u8) => Field.Status,
        6 when name.SequenceEqual("checks"u8) => Field.Checks,
        6 when name.SequenceEqual("output"u8) => Field.Output,
        7 when name.SequenceEqual("version"u8) => Field.Version,
        8 when name.SequenceEqual("protocol"u8) => Field.Protocol,
        8 when name.SequenceEqual("metadata"u8) => Field.Metadata,
        11 when name.SequenceEqual("instance_id"u8) => Field.InstanceId,
        12 when name.SequenceEqual("service_name"u8) => Field.ServiceName,
        12 when name.SequenceEqual("create_index"u8) => Field.CreateIndex,
        12 when name.SequenceEqual("modify_index"u8) => Field.ModifyIndex,
        13 when name.SequenceEqual("registered_at"u8) => Field.RegisteredAt,
        _ => Field.Unknown,
    };

    private const int SharedStringKind = 1, StatusKind = 2, TtlTextKind = 3, TtlNumberKind = 4, TagsKind = 5, MetadataKind = 6;

    /// <summary>Reads a value from the token the reader is on.</summary>
    private delegate T TokenRead<T>(ref Utf8JsonReader reader);

    /// <summary>The shared copy (<see cref="SharedValues"/>) of the string token, decoded only the first time this thread sees its bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryShared(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
            return false;
        value = (string)Recent(ref reader, SharedStringKind, static (ref r) => SharedValues.String(r.GetString()!));
        return true;
    }

    /// <summary>What <paramref name="read"/> makes of the token, made only the first time this thread sees its bytes (<see cref="RecentValues"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static object Recent<T>(ref Utf8JsonReader reader, int kind, TokenRead<T> read)
        where T : notnull
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
            return read(ref reader);
        var bytes = reader.ValueSpan;
        var recent = RecentValues.Current;
        if (recent.TryGet(bytes, kind, out var held))
            return held!;
        object value = read(ref reader);
        recent.Keep(bytes, kind, value);
        return value;
    }

    /// <summary>
    /// The tag list or metadata map the reader (over <paramref name="json"/>) is on, read only the first time this thread
    /// sees its JSON; leaves the reader on its end token.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool TryRecent(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, int kind, out object? value)
    {
        value = null;
        if (reader.TokenType != (kind == TagsKind ? JsonTokenType.StartArray : JsonTokenType.StartObject))
            return false;
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = json[start..((int)reader.TokenStartIndex + 1)];
        var recent = RecentValues.Current;
        if (recent.TryGet(raw, kind, out value))
            return true;
        var own = new Utf8JsonReader(raw);
        own.Read();
        if (kind == TagsKind)
        {
            if (!TryTags(ref own, out var tags))
                return false;
            value = tags;
        }
        else
        {
            if (!TryMetadata(ref own, out var metadata))
                return false;
            value = metadata;
        }
        recent.Keep(raw, kind, value);
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
