using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Security;

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
