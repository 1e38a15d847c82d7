using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Api.Audit;
using Benefit.Api.Catalog;
using Benefit.Api.CdsHooks;
using Benefit.Api.Data;
using Benefit.Api.Errors;
using Benefit.Api.Health;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Api.Observations;
using Benefit.Api.Recommendations;
using Benefit.Api.Patients;
using Benefit.Api.Points;
using Benefit.Fhir;
using Benefit.Fhir.Sync;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using Benefit.Api.OpenApi;
using Benefit.Api.Security;
using Benefit.Api.Setup;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Api.Reviews;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Benefit.Api.Extensions;

public static class Extensions
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        builder.AddBenefitDatabase();
        builder.AddPointsApi();
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => InterventionCatalog.Load(sp.GetRequiredService<IOptions<CatalogOptions>>().Value.Resolve("interventions.json")));
        builder.AddBenefitJobs();
        services.AddHttpContextAccessor();
        services.AddSingleton<AuditLog>();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddForwardedHeaders();
        services.AddSingleton<EnrolledPatients>();
        services.AddSingleton<IObservationStore, EfObservationStore>();
        services.AddFhirSync(builder.Configuration);
        services.PostConfigure<FhirSourceOptions>(o => o.EmbeddedBundleFolder = ResolveAppPath(o.EmbeddedBundleFolder));
        services.AddScoped<DemoSeeder>();
        services.AddScoped<PatientContextBuilder>();
        services.AddScoped<PatientRecommendations>();
        services.AddScoped<Models.LiveTrainingData>();
        ClinicalThresholdsOptions.Register(services);
        RecommendationsOptions.Register(services);
        services.AddSingleton<SafetyPicture>();
        services.AddCdsHooks();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<ModelServing>();
        services.AddHostedService<ModelPoller>();

        services.AddAuthentication().AddJwtBearer(o => o.Events = DashboardTokens.Events);
        // The signing keys from configuration come as a lazy sequence that builds new key objects on every request (and so
        // misses the signature-provider cache); read them once.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            o.TokenValidationParameters.IssuerSigningKeys = o.TokenValidationParameters.IssuerSigningKeys?.ToList());
        services.AddAuthorization();
        services.AddWriteRateLimits();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // {"kind":"a","Kind":"b"} is refused rather than letting the last one silently win.
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()); // enum names as in the data files
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddValidation();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        services.AddSingleton(new ProblemMappings()
            .Map<FhirSyncException>(e => new ProblemDetails { Status = e.SuggestedStatusCode, Title = "FHIR source failed", Detail = e.Message }));
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddOpenApiDocument();
        services.AddBenefitHealthChecks();
        return builder;
    }

    /// <summary>Migrates the schema and seeds demo data; safe to run on every start.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await app.Services.MigrateBenefitDatabaseAsync(app.Lifetime.ApplicationStopping);
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        await seeder.SeedAsync(app.Lifetime.ApplicationStopping);
        await seeder.SyncEmbeddedPatientsAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<ModelRegistry>().ImportDefaultIfEmptyAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<ModelServing>().RefreshAsync(app.Lifetime.ApplicationStopping);
        // Load the catalogues now, so a broken data file stops start-up instead of the first request.
        _ = app.Services.GetRequiredService<InterventionCatalog>();
        _ = app.Services.GetRequiredService<ClinicalThresholds>();
    }

    /// <summary>OpenAPI document and Scalar reference, unless Security:ExposeApiDocs is off.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.ExposeApiDocs) return app;
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }

    /// <summary>Which proxies' X-Forwarded-For/-Proto are trusted, from the same bound <see cref="SecurityOptions"/>.</summary>
    private static void AddForwardedHeaders(this IServiceCollection services) =>
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in security.Value.KnownProxies) o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            foreach (var network in security.Value.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });

    /// <summary>Relative paths in options mean "beside the app", where the build copies data/ and models/.</summary>
    public static string ResolveAppPath(string path) => Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);

    public static WebApplication UseApplicationPipeline(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.UseForwardedHeaders)
            app.UseForwardedHeaders();
        if (app.Environment.IsProduction())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRefusalAuditing();
        app.UseBodySizeLimit(MaxBodyBytes);
        app.UseCors(); // only endpoints with a policy (CDS Hooks) answer cross-origin requests
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
