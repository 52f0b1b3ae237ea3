using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Switchboard.Server.Http;

namespace Switchboard.Server.Eureka;

/// <summary>Eureka's answers: JSON when the <c>Accept</c> header names JSON, else XML (as Eureka's server chooses); errors as ProblemDetails in the same encoding.</summary>
internal static class EurekaResults
{
    /// <summary>Whether the request asks for XML: Eureka answers JSON only when <c>Accept</c> names it.</summary>
    public static bool WantsXml(HttpRequest request)
        => !request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new writer in the encoding the request asks for.</summary>
    public static EurekaWriter Writer(HttpRequest request) => WantsXml(request) ? new EurekaWriter.Xml() : new EurekaWriter.Json();

    /// <summary>A document written by <paramref name="write"/>, 200.</summary>
    public static IResult Document(HttpContext context, Action<EurekaWriter> write)
    {
        using var writer = Writer(context.Request);
        write(writer);
        return Results.Bytes(writer.ToArray(), writer.IsXml ? "application/xml" : "application/json");
    }

    /// <summary>An error naming the field: ProblemDetails JSON (<c>errors.{field}</c>) or its RFC 7807 XML form with a <c>field</c> element.</summary>
    public static IResult Problem(HttpContext context, int statusCode, string field, string message)
    {
        if (!WantsXml(context.Request))
            return ProblemResults.Invalid(new() { [field] = [message] }, statusCode);
        return Xml(statusCode, StatusTitle(statusCode), message, field);
    }

    /// <summary>An error without a field (404, 403, 503), in the encoding asked for.</summary>
    public static IResult Problem(HttpContext context, int statusCode, string message)
        => WantsXml(context.Request)
            ? Xml(statusCode, StatusTitle(statusCode), message, field: null)
            : Results.Problem(message, statusCode: statusCode, title: StatusTitle(statusCode));

    /// <summary>404 for an application or instance the registry does not know (a renewal's answer that makes a Eureka client register again).</summary>
    public static IResult NotFound(HttpContext context, string message) => Problem(context, StatusCodes.Status404NotFound, message);

    private static string StatusTitle(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => "The request is invalid.",
        StatusCodes.Status403Forbidden => "Permission denied.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "Conflict.",
        StatusCodes.Status413PayloadTooLarge => "The request is too large.",
        _ => "The request cannot be served now.",
    };

    private static IResult Xml(int statusCode, string title, string detail, string? field)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement("problem", "urn:ietf:rfc:7807");
            writer.WriteElementString("title", "urn:ietf:rfc:7807", title);
            writer.WriteElementString("status", "urn:ietf:rfc:7807", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteElementString("detail", "urn:ietf:rfc:7807", EurekaWriter.XmlSafe(detail));
            if (field is not null)
                writer.WriteElementString("field", "urn:ietf:rfc:7807", EurekaWriter.XmlSafe(field));
            writer.WriteEndElement();
        }
        return Results.Text(builder.ToString(), "application/problem+xml", Encoding.UTF8, statusCode);
    }
}
