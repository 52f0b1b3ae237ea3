using System.Text;

namespace Switchboard.Client.Tests.Telemetry;

/// <summary>One span as an OTLP receiver got it.</summary>
internal sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Reads the spans of an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c>: just the fields the tests look at (resource
/// service name; trace, span and parent ids; name; string, bool and integer attributes), every other field skipped.
/// </summary>
internal static class OtlpSpans
{
    public static List<ReceivedSpan> Read(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        var reader = new Reader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
                ReadResourceSpans(reader.Bytes(), spans); // resource_spans
            else
                reader.Skip(wire);
        }
        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> bytes, List<ReceivedSpan> spans)
    {
        var service = "";
        var scopes = new List<byte[]>();
        var reader = new Reader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
                service = ReadAttributes(reader.Bytes(), 1).GetValueOrDefault("service.name", ""); // resource.attributes
            else if (field == 2 && wire == 2)
                scopes.Add(reader.Bytes().ToArray()); // scope_spans
            else
                reader.Skip(wire);
        }
        foreach (var scope in scopes)
        {
            var scopeReader = new Reader(scope);
            while (scopeReader.Next(out var field, out var wire))
            {
                if (field == 2 && wire == 2)
                    spans.Add(ReadSpan(scopeReader.Bytes(), service));
                else
                    scopeReader.Skip(wire);
            }
        }
    }

    private static ReceivedSpan ReadSpan(ReadOnlySpan<byte> bytes, string service)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var reader = new Reader(bytes);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (4, 2): parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case (5, 2): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                default: reader.Skip(wire); break;
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, ReadAttributes(bytes, 9));
    }

    /// <summary>The key-value list in field <paramref name="attributesField"/> of a message.</summary>
    private static Dictionary<string, string> ReadAttributes(ReadOnlySpan<byte> message, int attributesField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field != attributesField || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }
            var pair = new Reader(reader.Bytes());
            string key = "", value = "";
            while (pair.Next(out var f, out var w))
            {
                if (f == 1 && w == 2)
                    key = Encoding.UTF8.GetString(pair.Bytes());
                else if (f == 2 && w == 2)
                    value = ReadAnyValue(pair.Bytes());
                else
                    pair.Skip(w);
            }
            attributes[key] = value;
        }
        return attributes;
    }

    private static string ReadAnyValue(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        var value = "";
        while (reader.Next(out var field, out var wire))
        {
            value = (field, wire) switch
            {
                (1, 2) => Encoding.UTF8.GetString(reader.Bytes()),
                (2, 0) => reader.Varint() != 0 ? "true" : "false",
                (3, 0) => ((long)reader.Varint()).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => Skipped(ref reader, wire),
            };
        }
        return value;
    }

    private static string Skipped(ref Reader reader, int wire)
    {
        reader.Skip(wire);
        return "";
    }

    /// <summary>A protobuf wire-format cursor.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = wire = 0;
                return false;
            }
            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                    return value;
            }
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = (int)Varint();
            var bytes = _data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2: Bytes(); break;
                case 5: _position += 4; break;
                default: throw new FormatException($"protobuf wire type {wire} is not one OTLP uses");
            }
        }
    }
}
