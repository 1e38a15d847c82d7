using Benefit.Api.Data;
using Benefit.Api.Security;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Jobs;

public static class JobsExtensions
{
    /// <summary>Hangfire on the same kind of storage as the database: SQLite embedded, PostgreSQL (SKIP LOCKED, many servers) at scale.</summary>
    public static IHostApplicationBuilder AddBenefitJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Jobs:TimeZone is not a known time zone.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var sqlitePath = Path.IsPathRooted(options.SqlitePath) ? options.SqlitePath : Path.Combine(builder.Environment.ContentRootPath, options.SqlitePath);

        // Hangfire's own registration hands out JobStorage.Current, a static that every host in the process overwrites
        // (each API test host has its own storage): this host's job client, recurring jobs, dashboard and server use the
        // storage its configuration made.
        JobStorage? storage = null;
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>(); // runs the configuration below, once
            return storage!;
        });
        services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
                .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()));
            if (database.IsPostgres)
                storage = config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(sp.GetRequiredService<DatabaseExtensions.BenefitConnection>().ConnectionString)).Entry;
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(sqlitePath)!);
                storage = config.UseSQLiteStorage(sqlitePath).Entry;
            }
        });
        if (options.RunServer)
            services.AddHangfireServer(o => o.WorkerCount = Math.Max(2, Environment.ProcessorCount));

        // Hangfire's dashboard checks an antiforgery token on its POST actions (retry, delete, trigger) when the service exists.
        services.AddAntiforgery();
        services.AddSingleton<JobRunGuard>();
        services.AddTransient<FhirSyncJob>();
        services.AddTransient<PointsExpiryJob>();
        services.AddTransient<ReservationExpiryJob>();
        services.AddTransient<Models.RetrainJob>();
        services.AddOptions<Models.RetrainOptions>().BindConfiguration(Models.RetrainOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    /// <summary>Recurring jobs with cron and zone from configuration; a missed night runs once (Hangfire's default misfire handling).</summary>
    public static WebApplication MapBenefitJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<FhirSyncJob>(FhirSyncJob.JobName, j => j.RunAsync(null, CancellationToken.None), options.FhirSyncCron, new RecurringJobOptions { TimeZone = zone });
        recurring.AddOrUpdate<Models.RetrainJob>(Models.RetrainJob.JobName, j => j.RunAsync(null, CancellationToken.None), options.RetrainCron, new RecurringJobOptions { TimeZone = zone });
        recurring.AddOrUpdate<PointsExpiryJob>(PointsExpiryJob.JobName, j => j.RunAsync(null, CancellationToken.None), options.PointsExpiryCron, new RecurringJobOptions { TimeZone = zone });

        recurring.AddOrUpdate<ReservationExpiryJob>(ReservationExpiryJob.JobName, j => j.RunAsync(CancellationToken.None), options.ReservationExpiryCron, new RecurringJobOptions { TimeZone = zone });

        // The dashboard's JSON endpoints read a form and throw on anything else; answer that as a client error, not a 500.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/jobs/stats") && !http.Request.HasFormContentType,
            refused => refused.Run(http => Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Form expected",
                detail: "/jobs/stats takes a POST with application/x-www-form-urlencoded, as the dashboard sends it.").ExecuteAsync(http)));
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new RoleDashboardAuthorization()],
            DashboardTitle = "Benefit jobs",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>Data scientists and admins only; the token comes as a bearer header or, for a browser, from ?access_token= once (then a cookie).</summary>
    private sealed class RoleDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.IsInRole(Roles.DataScientist) || user.IsInRole(Roles.Admin);
        }
    }
}
