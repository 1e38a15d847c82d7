using System.Globalization;

namespace Benefit.Api.Jobs;

/// <summary>Runs a job's body at most once per night (its run key), whatever Hangfire retries or duplicates.</summary>
public abstract class GuardedJob(JobRunGuard guard, JobsOptions options, TimeProvider clock, ILogger logger)
{
    protected abstract string Name { get; }

    protected TimeProvider Clock => clock;

    protected abstract Task<string> ExecuteAsync(string runKey, CancellationToken ct);

    /// <summary>The local date of the run in the jobs' time zone: one key per night.</summary>
    public string TonightKey()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        return TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Entry point for Hangfire; <paramref name="runKey"/> null means tonight.</summary>
    public async Task<string> RunAsync(string? runKey, CancellationToken ct)
    {
        runKey ??= TonightKey();
        var claim = await guard.TryClaimAsync(Name, runKey, options.Lease, ct);
        if (claim != ClaimOutcome.Claimed)
        {
            logger.LogInformation("Job {Job} for {RunKey} skipped: {Outcome}", Name, runKey, claim);
            return claim.ToString();
        }

        logger.LogInformation("Job {Job} for {RunKey} started", Name, runKey);
        try
        {
            var summary = await ExecuteAsync(runKey, ct);
            await guard.FinishAsync(Name, runKey, succeeded: true, summary, ct);
            logger.LogInformation("Job {Job} for {RunKey} finished: {Summary}", Name, runKey, summary);
            return summary;
        }
        catch (Exception ex)
        {
            await guard.FinishAsync(Name, runKey, succeeded: false, ex.Message, ct);
            logger.LogError(ex, "Job {Job} for {RunKey} failed", Name, runKey);
            throw;
        }
    }
}
