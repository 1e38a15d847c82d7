
namespace Benefit.Api.Audit;

/// <summary>
/// Records refusals the endpoints never see — no or a bad token (401), a role policy (403), a rate limit (429) — on the
/// routes that hold patient data, with the patient id from the route when there is one. A request an endpoint already
/// audited is not recorded twice.
/// </summary>
public static class RefusalAuditing
{
    private static readonly string[] PatientDataPaths = ["/patients", "/clinicians", "/audit", "/activities", "/cds-services", "/admin"];

    public static IApplicationBuilder UseRefusalAuditing(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            await next(http);
            var outcome = http.Response.StatusCode switch
            {
                StatusCodes.Status401Unauthorized => "unauthenticated",
                StatusCodes.Status403Forbidden => "denied",
                StatusCodes.Status429TooManyRequests => "rate-limited",
                _ => null,
            };
            if (outcome is null || http.Items.ContainsKey(AuditLog.AuditedKey) || !IsPatientData(http.Request.Path))
                return;
            var audit = http.RequestServices.GetRequiredService<AuditLog>();
            var action = $"{http.Request.Method} {(http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value}";
            await audit.RecordAsync(http.User, http.GetRouteValue("id") as string, action, outcome, $"status {http.Response.StatusCode}");
        });

    private static bool IsPatientData(PathString path) => PatientDataPaths.Any(p => path.StartsWithSegments(p));
}
