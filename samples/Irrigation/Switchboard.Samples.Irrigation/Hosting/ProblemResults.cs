using Microsoft.AspNetCore.Http.HttpResults;

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>ProblemDetails answers shared by the sample services; validation errors are keyed by the wire name of the field.</summary>
internal static class ProblemResults
{
    /// <summary>400 with one entry per invalid field.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.SelectMany(e => e.Value)), title: "The request is invalid.");

    /// <summary>400 naming one field.</summary>
    public static ValidationProblem Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>An error that is not about one field.</summary>
    public static ProblemHttpResult Problem(int statusCode, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: statusCode, title: title);
}
