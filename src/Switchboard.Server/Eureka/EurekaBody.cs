using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Switchboard.Registration;

namespace Switchboard.Server.Eureka;

/// <summary>Reads a Eureka registration body (JSON or XML, by its <c>Content-Type</c>, else by its first character) with the registry's size limit.</summary>
/// <remarks>
/// XML is read with DTDs prohibited and no resolver, so no entity is expanded and nothing outside the body is read
/// (no XXE, no billion laughs); the document is bounded by the body limit and a depth limit.
/// </remarks>
internal static class EurekaBody
{
    private const int MaxDepth = 32;
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxDepth, AllowTrailingCommas = false };

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = RegistrationLimits.MaxBodyBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        Async = false,
    };

    /// <summary>The body's <c>instance</c> node.</summary>
    /// <exception cref="EurekaRequestException">The body is empty, too large, not JSON or XML, or has no <c>instance</c>.</exception>
    public static async Task<EurekaNode> ReadInstanceAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = await Http.LimitedBody.ReadAsync(request, cancellationToken).ConfigureAwait(false)
            ?? throw new EurekaRequestException("body", $"The body is larger than {RegistrationLimits.MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var trimmed = bytes.Span.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
            throw new EurekaRequestException("instance", "The body is empty: it must be an instance, {\"instance\": {...}} in JSON or <instance>...</instance> in XML.");
        return IsXml(request, trimmed[0]) ? ReadXml(bytes) : ReadJson(bytes);
    }

    private static bool IsXml(HttpRequest request, byte first)
    {
        var type = request.ContentType ?? "";
        if (type.Contains("xml", StringComparison.OrdinalIgnoreCase))
            return true;
        if (type.Contains("json", StringComparison.OrdinalIgnoreCase))
            return false;
        return first == (byte)'<';
    }

    private static EurekaNode ReadJson(ReadOnlyMemory<byte> bytes)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new EurekaRequestException("body", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}).");
        }
        if (!Http.JsonStrings.AllDecode(root))
            throw new EurekaRequestException("body", "The body has invalid UTF-8 or a lone surrogate in a string.");
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("instance", out var instance) || instance.ValueKind != JsonValueKind.Object)
            throw new EurekaRequestException("instance", "The body must be {\"instance\": {...}}: instance is missing or not an object.");
        return new EurekaNode.Json(instance);
    }

    private static EurekaNode ReadXml(ReadOnlyMemory<byte> bytes)
    {
        XElement root;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, XmlSettings);
            root = XElement.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            throw new EurekaRequestException("body", $"The body is not valid XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}");
        }
        if (Depth(root) > MaxDepth)
            throw new EurekaRequestException("body", $"The body nests deeper than {MaxDepth} elements.");
        if (root.Name.LocalName != "instance")
            throw new EurekaRequestException("instance", $"The body's root element must be <instance>, not <{root.Name.LocalName}>.");
        return new EurekaNode.Xml(root);
    }

    private static int Depth(XElement element)
    {
        var max = 0;
        var stack = new Stack<(XElement Element, int Depth)>();
        stack.Push((element, 1));
        while (stack.Count > 0)
        {
            var (current, depth) = stack.Pop();
            max = Math.Max(max, depth);
            if (depth > MaxDepth)
                break;
            foreach (var child in current.Elements())
                stack.Push((child, depth + 1));
        }
        return max;
    }
}
