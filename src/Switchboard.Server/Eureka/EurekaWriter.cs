using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace Switchboard.Server.Eureka;

/// <summary>
/// Writes Eureka's documents once for both encodings: what Eureka's Jackson codec writes as JSON
/// (<c>{"$": 8080, "@enabled": "true"}</c>, lists as arrays) and what its XML codec writes
/// (<c>&lt;port enabled="true"&gt;8080&lt;/port&gt;</c>, lists as repeated elements).
/// </summary>
internal abstract class EurekaWriter : IDisposable
{
    /// <summary>Whether this writes XML (the few names that differ between the encodings are chosen by it).</summary>
    public abstract bool IsXml { get; }

    /// <summary>Starts the document's root object (<c>{"instance": {</c> or <c>&lt;instance&gt;</c>).</summary>
    public abstract void StartRoot(string name);

    /// <summary>Starts an object member (<c>"leaseInfo": {</c> or <c>&lt;leaseInfo&gt;</c>), with an optional class (<c>@class</c> or <c>class="…"</c>).</summary>
    public abstract void StartObject(string name, string? @class = null);

    /// <summary>Ends an object started by <see cref="StartRoot"/>, <see cref="StartObject"/> or <see cref="StartItem"/>.</summary>
    public abstract void EndObject();

    /// <summary>Starts a list member (<c>"instance": [</c>; nothing in XML, whose items repeat the name).</summary>
    public abstract void StartList(string name);

    /// <summary>Ends a list.</summary>
    public abstract void EndList();

    /// <summary>Starts one object in the current list (named as the list in XML).</summary>
    public abstract void StartItem(string name);

    /// <summary>A string member.</summary>
    public abstract void String(string name, string value);

    /// <summary>A number member.</summary>
    public abstract void Number(string name, long value);

    /// <summary>A port: <c>{"$": n, "@enabled": "true"}</c> or <c>&lt;port enabled="true"&gt;n&lt;/port&gt;</c>.</summary>
    public abstract void Port(string name, int number, bool enabled);

    /// <summary>A string map (<c>metadata</c>); an empty one carries Eureka's <c>java.util.Collections$EmptyMap</c> class marker.</summary>
    public abstract void Map(string name, IEnumerable<KeyValuePair<string, string>> entries);

    /// <summary>The document's bytes, once written.</summary>
    public abstract byte[] ToArray();

    /// <inheritdoc/>
    public abstract void Dispose();

    /// <summary><paramref name="value"/> without the characters XML 1.0 cannot carry even escaped (most control characters): dropped rather than failing the answer.</summary>
    public static string XmlSafe(string value)
    {
        foreach (var c in value)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
                return new string([.. value.Where(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch))]);
        }
        return value;
    }

    /// <summary>The marker Eureka writes for empty metadata.</summary>
    public const string EmptyMapClass = "java.util.Collections$EmptyMap";

    /// <summary>A JSON writer (Jackson's escaping: non-ASCII and apostrophes as they are).</summary>
    public sealed class Json : EurekaWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private readonly Utf8JsonWriter _writer;

        public Json() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        public override bool IsXml => false;

        public override void StartRoot(string name)
        {
            _writer.WriteStartObject();
            _writer.WriteStartObject(name);
        }

        public override void StartObject(string name, string? @class = null)
        {
            _writer.WriteStartObject(name);
            if (@class is not null)
                _writer.WriteString("@class", @class);
        }

        public override void EndObject() => _writer.WriteEndObject();

        public override void StartList(string name) => _writer.WriteStartArray(name);

        public override void EndList() => _writer.WriteEndArray();

        public override void StartItem(string name) => _writer.WriteStartObject();

        public override void String(string name, string value) => _writer.WriteString(name, value);

        public override void Number(string name, long value) => _writer.WriteNumber(name, value);

        public override void Port(string name, int number, bool enabled)
        {
            _writer.WriteStartObject(name);
            _writer.WriteNumber("$", number);
            _writer.WriteString("@enabled", enabled ? "true" : "false");
            _writer.WriteEndObject();
        }

        public override void Map(string name, IEnumerable<KeyValuePair<string, string>> entries)
        {
            _writer.WriteStartObject(name);
            var any = false;
            foreach (var (key, value) in entries)
            {
                _writer.WriteString(key, value);
                any = true;
            }
            if (!any)
                _writer.WriteString("@class", EmptyMapClass);
            _writer.WriteEndObject();
        }

        public override byte[] ToArray()
        {
            _writer.WriteEndObject(); // the root
            _writer.WriteEndObject(); // the wrapper around it
            _writer.Flush();
            return _buffer.WrittenSpan.ToArray();
        }

        public override void Dispose() => _writer.Dispose();
    }

    /// <summary>An XML writer.</summary>
    public sealed class Xml : EurekaWriter
    {
        private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, Indent = false };
        private readonly MemoryStream _stream = new();
        private readonly XmlWriter _writer;

        public Xml() => _writer = XmlWriter.Create(_stream, Settings);

        public override bool IsXml => true;

        public override void StartRoot(string name) => _writer.WriteStartElement(name);

        public override void StartObject(string name, string? @class = null)
        {
            _writer.WriteStartElement(name);
            if (@class is not null)
                _writer.WriteAttributeString("class", @class);
        }

        public override void EndObject() => _writer.WriteEndElement();

        public override void StartList(string name)
        {
        }

        public override void EndList()
        {
        }

        public override void StartItem(string name) => _writer.WriteStartElement(name);

        public override void String(string name, string value) => _writer.WriteElementString(name, XmlSafe(value));

        public override void Number(string name, long value) => _writer.WriteElementString(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public override void Port(string name, int number, bool enabled)
        {
            _writer.WriteStartElement(name);
            _writer.WriteAttributeString("enabled", enabled ? "true" : "false");
            _writer.WriteString(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _writer.WriteEndElement();
        }

        public override void Map(string name, IEnumerable<KeyValuePair<string, string>> entries)
        {
            _writer.WriteStartElement(name);
            var any = false;
            foreach (var (key, value) in entries)
            {
                _writer.WriteElementString(XmlConvert.EncodeLocalName(key), XmlSafe(value));
                any = true;
            }
            if (!any)
                _writer.WriteAttributeString("class", EmptyMapClass);
            _writer.WriteEndElement();
        }

        public override byte[] ToArray()
        {
            _writer.WriteEndElement();
            _writer.Flush();
            return _stream.ToArray();
        }

        public override void Dispose()
        {
            _writer.Dispose();
            _stream.Dispose();
        }
    }
}
