using Microsoft.AspNetCore.Http.Features;

namespace Benefit.Api.Errors;

public static class BodySizeLimit
{
    /// <summary>Bodies larger than the limit get 413 before any handler reads them, on Kestrel and the test server alike.</summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app, long maxBytes) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > maxBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 413, Title = "Request body too large", Detail = $"The body may be at most {maxBytes} bytes." },
                });
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = maxBytes;
            await next(http);
        });
}
