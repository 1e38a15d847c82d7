using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Benefit.Api.Errors;

/// <summary>
/// Turns every exception into Problem Details. Bad input keeps its own status and names the field;
/// domain exceptions map through <see cref="ProblemMappings"/>; anything else is a 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ProblemMappings mappings, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            _ => mappings.TryMap(exception),
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails { Status = 500, Title = "Unexpected error", Detail = "The request could not be completed; nothing was changed." };
        }

        http.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        var json = FindJsonException(bad);
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode switch
            {
                413 => "Request body too large",
                415 => "Unsupported media type",
                _ => json is null ? "Bad request" : "Malformed or invalid JSON",
            },
            Detail = json is null ? bad.Message : Describe(json),
        };
        if (json?.Path is { Length: > 0 } path)
            problem.Extensions["field"] = path.TrimStart('$', '.');
        return problem;
    }

    private static JsonException? FindJsonException(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is JsonException json) return json;
        return null;
    }

    // System.Text.Json messages already name the property and the expected type; drop the internal type names.
    private static string Describe(JsonException json)
    {
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            message = "The value has the wrong type for this field.";
        return json.Path is { Length: > 0 } path ? $"{message} (at {path})" : message;
    }
}
