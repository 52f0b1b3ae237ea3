using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Switchboard.Server.Eureka;

/// <summary>
/// One node of a Eureka request body, read the same way from JSON and from XML: Eureka's two encodings differ only in
/// how a value carries its attributes (<c>{"$": 8080, "@enabled": "true"}</c> against <c>&lt;port enabled="true"&gt;8080&lt;/port&gt;</c>).
/// </summary>
internal abstract class EurekaNode
{
    /// <summary>The child named <paramref name="name"/>, or null.</summary>
    public abstract EurekaNode? Child(string name);

    /// <summary>The node's scalar value (a JSON string, number or boolean, a JSON object's <c>$</c>, an XML element's text); null when it has none.</summary>
    public abstract string? Text { get; }

    /// <summary>An attribute: JSON's <c>@name</c> member, XML's attribute.</summary>
    public abstract string? Attribute(string name);

    /// <summary>The children as name and text (a map such as <c>metadata</c>); attributes (JSON <c>@…</c>) are left out.</summary>
    public abstract IEnumerable<(string Name, string? Text)> Entries();

    /// <summary>The text of child <paramref name="name"/>, trimmed; null when absent or empty.</summary>
    public string? String(string name) => Child(name)?.Text?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A JSON node.</summary>
    public sealed class Json(JsonElement element) : EurekaNode
    {
        /// <inheritdoc/>
        public override EurekaNode? Child(string name)
            => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null ? new Json(child) : null;

        /// <inheritdoc/>
        public override string? Text => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Object => Child("$")?.Text,
            _ => null,
        };

        /// <inheritdoc/>
        public override string? Attribute(string name) => Child("@" + name)?.Text;

        /// <inheritdoc/>
        public override IEnumerable<(string Name, string? Text)> Entries()
        {
            if (element.ValueKind != JsonValueKind.Object)
                yield break;
            foreach (var property in element.EnumerateObject())
            {
                if (!property.Name.StartsWith('@'))
                    yield return (property.Name, new Json(property.Value).Text);
            }
        }
    }

    /// <summary>An XML element.</summary>
    public sealed class Xml(XElement element) : EurekaNode
    {
        /// <inheritdoc/>
        public override EurekaNode? Child(string name) => element.Element(name) is { } child ? new Xml(child) : null;

        /// <inheritdoc/>
        public override string? Text => element.HasElements ? null : element.Value;

        /// <inheritdoc/>
        public override string? Attribute(string name) => element.Attribute(name)?.Value;

        /// <inheritdoc/>
        public override IEnumerable<(string Name, string? Text)> Entries()
            => element.Elements().Select(e => (XmlConvert.DecodeName(e.Name.LocalName), (string?)(e.HasElements ? null : e.Value)));
    }
}
