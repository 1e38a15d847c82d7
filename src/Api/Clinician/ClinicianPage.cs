using System.Reflection;

namespace Benefit.Api.Clinician;

/// <summary>
/// Serves the clinician review page: a few static files embedded in the assembly, so the page ships with the
/// service and needs no front-end build. The page calls the JSON API with the clinician's bearer token.
/// </summary>
public static class ClinicianPage
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["charts.js"] = "text/javascript; charset=utf-8",
        ["api.js"] = "text/javascript; charset=utf-8",
        ["dom.js"] = "text/javascript; charset=utf-8",
        ["views.js"] = "text/javascript; charset=utf-8",
        ["measures.js"] = "text/javascript; charset=utf-8",
        ["safety.js"] = "text/javascript; charset=utf-8",
        ["labels.js"] = "text/javascript; charset=utf-8",
        ["i18n.js"] = "text/javascript; charset=utf-8",
    };

    // Scripts and styles only from this origin: the page holds a token, so no inline script and no third-party code.
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapClinicianPage(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/clinician").WithTags("Clinician").ExcludeFromDescription();
        page.MapGet("", (HttpContext http) => Serve(http, "index.html")).WithName("ClinicianPage");
        page.MapGet("/{file}", (HttpContext http, string file) => Serve(http, file)).WithName("ClinicianPageFile");
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!ContentTypes.TryGetValue(file, out var type))
            return TypedResults.NotFound();
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"clinician/{file}");
        if (stream is null)
            return TypedResults.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return TypedResults.Stream(stream, type);
    }
}
