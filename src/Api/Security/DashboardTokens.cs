using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Benefit.Api.Security;

/// <summary>
/// A browser cannot send a bearer header to the job dashboard, so /jobs also takes the token once as ?access_token=
/// and, once the token has been validated, keeps it in an HttpOnly, same-site cookie scoped to /jobs (Secure over HTTPS,
/// also behind a TLS-terminating proxy when forwarded headers are on). Everywhere else only the header counts.
/// </summary>
public static class DashboardTokens
{
    private const string Cookie = "benefit_jobs_token";
    private const string FromQuery = "benefit.jobs-token-from-query";

    public static readonly JwtBearerEvents Events = new()
    {
        OnMessageReceived = context =>
        {
            var http = context.HttpContext;
            if (!http.Request.Path.StartsWithSegments("/jobs") || http.Request.Headers.Authorization.Count > 0)
                return Task.CompletedTask;
            if (http.Request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
            {
                context.Token = token;
                http.Items[FromQuery] = token.ToString();
            }
            else if (http.Request.Cookies.TryGetValue(Cookie, out var cookie))
                context.Token = cookie;
            return Task.CompletedTask;
        },
        OnTokenValidated = context =>
        {
            var http = context.HttpContext;
            if (http.Items[FromQuery] is string token)
                http.Response.Cookies.Append(Cookie, token, new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/jobs", Secure = http.Request.IsHttps,
                });
            return Task.CompletedTask;
        },
    };
}
