using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Switchboard.Server.Http;

/// <summary>ProblemDetails answers used across the native API; validation errors are keyed by the wire name of the field.</summary>
internal static class ProblemResults
{
    public static ProblemHttpResult Invalid(Dictionary<string, string[]> errors, int statusCode = StatusCodes.Status400BadRequest)
        => TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = statusCode,
            Title = statusCode == StatusCodes.Status400BadRequest ? "The request is invalid." : "The request cannot be accepted.",
            Detail = string.Join(" ", errors.Values.SelectMany(v => v)),
        });

    public static ProblemHttpResult Invalid(string field, string message) => Invalid(new() { [field] = [message] });

    public static ProblemHttpResult NotFound(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static ProblemHttpResult Unavailable(string title, string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title);
}
