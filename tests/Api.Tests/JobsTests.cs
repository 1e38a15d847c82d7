using System.Net;
using Benefit.Api.Data;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Api.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests;

public sealed class JobsTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    [Fact]
    public void Nightly_jobs_are_scheduled_with_the_configured_cron_in_Amsterdam_time()
    {
        using var connection = fixture.App.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);

        Assert.Equal("0 1 * * *", jobs[FhirSyncJob.JobName].Cron);
        Assert.Equal("0 3 * * *", jobs[PointsExpiryJob.JobName].Cron);
        Assert.Equal("30 2 * * *", jobs[RetrainJob.JobName].Cron);
        Assert.Equal("*/5 * * * *", jobs[ReservationExpiryJob.JobName].Cron);
        Assert.All(jobs.Values, j => Assert.Equal("Europe/Amsterdam", j.TimeZoneId));
        Assert.All(jobs.Values, j => Assert.DoesNotContain("patient", string.Join(",", j.Job.Args), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Each_host_queues_jobs_in_its_own_storage_whichever_host_configured_hangfire_last()
    {
        // Hangfire's configuration is process-wide: the second host to configure it overwrites JobStorage.Current.
        var (first, firstPath) = JobsHost();
        var (second, _) = JobsHost();
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        var id = first.GetRequiredService<IBackgroundJobClient>().Enqueue<RetrainJob>(j => j.RunAsync("test", CancellationToken.None));

        Assert.NotSame(first.GetRequiredService<JobStorage>(), second.GetRequiredService<JobStorage>());
        using var connection = new Hangfire.Storage.SQLite.SQLiteStorage(firstPath).GetConnection();
        Assert.NotNull(connection.GetJobData(id));
    }

    private static (IServiceProvider Services, string HangfirePath) JobsHost()
    {
        var path = Path.Combine(Path.GetTempPath(), $"benefit-hangfire-{Guid.NewGuid():N}.db");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["Database:Provider"] = "sqlite";
        builder.Configuration["Jobs:SqlitePath"] = path;
        builder.Configuration["Jobs:RunServer"] = "false";
        builder.AddBenefitJobs();
        return (builder.Services.BuildServiceProvider(), path);
    }

    [Fact]
    public async Task A_retried_or_duplicated_nightly_job_does_its_work_once()
    {
        using var scope = fixture.App.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<FhirSyncJob>();
        const string night = "2026-11-04";

        var first = await job.RunAsync(night, CancellationToken.None);
        var second = await job.RunAsync(night, CancellationToken.None);

        Assert.Contains("patients", first);
        Assert.Equal(nameof(ClaimOutcome.AlreadySucceeded), second);
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        var run = await db.JobRuns.SingleAsync(r => r.Job == FhirSyncJob.JobName && r.RunKey == night);
        Assert.Equal(("succeeded", 1), (run.Status, run.Attempts));
    }

    [Fact]
    public async Task A_run_whose_server_died_is_taken_over_once_its_lease_lapses()
    {
        var guard = fixture.App.Services.GetRequiredService<JobRunGuard>();
        const string night = "2026-11-05";
        Assert.Equal(ClaimOutcome.Claimed, await guard.TryClaimAsync("test-job", night, TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.Equal(ClaimOutcome.HeldByAnother, await guard.TryClaimAsync("test-job", night, TimeSpan.FromMinutes(10), CancellationToken.None));

        fixture.App.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(ClaimOutcome.Claimed, await guard.TryClaimAsync("test-job", night, TimeSpan.FromMinutes(10), CancellationToken.None));
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("patient", 403)]
    [InlineData("clinician", 403)]
    [InlineData("data-scientist", 200)]
    [InlineData("admin", 200)]
    public async Task The_job_dashboard_is_for_data_scientists_and_admins_only(string? role, int expected)
    {
        var caller = role switch
        {
            null => Caller.Nobody,
            "patient" => Caller.PatientSelf("demo-patient-01"),
            "clinician" => Caller.Clinician1,
            "data-scientist" => Caller.DataScientist,
            _ => Caller.Admin,
        };
        var response = await fixture.App.ClientFor(caller).GetAsync("/jobs");
        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_with_the_token_once_in_the_query_then_by_cookie()
    {
        var client = fixture.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var token = BenefitApplication.Token(Caller.DataScientist);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/jobs?access_token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs/recurring")).StatusCode);
    }
}
