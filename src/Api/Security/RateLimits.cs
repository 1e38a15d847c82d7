using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Security;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Write requests allowed per client per window, by role: a provider posts bursts, a patient's app does not.</summary>
    public Dictionary<string, int> PermitsPerRole { get; set; } = new();

    /// <summary>Reads (GET) allowed per client per window, by role; a role not listed gets <see cref="DefaultReadPermits"/>.</summary>
    public Dictionary<string, int> ReadPermitsPerRole { get; set; } = new();

    [Range(1, int.MaxValue)]
    public int DefaultReadPermits { get; set; } = 600;
}

public static class RateLimits
{
    public const string Writes = "writes";

    public static IServiceCollection AddWriteRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Writes, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                var role = http.User.PrimaryRole();
                return Window(options, Client(http), options.PermitsPerRole.GetValueOrDefault(role, 30));
            });
            // Reads of patient data are limited too (per role, configurable), so a stolen token cannot page through everything;
            // health checks stay free for load balancers.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!HttpMethods.IsGet(http.Request.Method) || http.Request.Path.StartsWithSegments("/health"))
                    return RateLimitPartition.GetNoLimiter("unlimited");
                var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                var role = http.User.PrimaryRole();
                return Window(options, "read:" + Client(http), options.ReadPermitsPerRole.GetValueOrDefault(role, options.DefaultReadPermits));
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 1;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"Try again in {retryAfter} s." },
                });
            };
        });

    private static string Client(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? $"{http.User.PrimaryRole()}:{http.User.Subject()}" : $"ip:{http.Connection.RemoteIpAddress}";

    private static RateLimitPartition<string> Window(RateLimitOptions options, string client, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromSeconds(options.WindowSeconds),
            QueueLimit = 0,
        });
}
