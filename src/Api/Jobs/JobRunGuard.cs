using Benefit.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Jobs;

public enum ClaimOutcome { Claimed, AlreadySucceeded, HeldByAnother }

/// <summary>
/// At-most-once per (job, run key) across servers, on top of Hangfire's at-least-once delivery: the primary key makes
/// the first insert win, and a failed run or a lapsed lease is taken over by one conditional update.
/// </summary>
public sealed class JobRunGuard(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>This instance's name in the lease rows: machine, process and a random suffix (two instances may share a process in tests).</summary>
    public string ServerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task<ClaimOutcome> TryClaimAsync(string job, string runKey, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        db.JobRuns.Add(new JobRun { Job = job, RunKey = runKey, Status = "running", Owner = ServerId, StartedAt = now, LeaseExpiresAt = now + lease, Attempts = 1 });
        try
        {
            await db.SaveChangesAsync(ct);
            return ClaimOutcome.Claimed;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
        }

        var taken = await db.JobRuns
            .Where(r => r.Job == job && r.RunKey == runKey && (r.Status == "failed" || (r.Status == "running" && r.LeaseExpiresAt < now)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, "running")
                .SetProperty(r => r.Owner, ServerId)
                .SetProperty(r => r.StartedAt, now)
                .SetProperty(r => r.LeaseExpiresAt, now + lease)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
        if (taken == 1)
            return ClaimOutcome.Claimed;

        var existing = await db.JobRuns.AsNoTracking().FirstAsync(r => r.Job == job && r.RunKey == runKey, ct);
        return existing.Status == "succeeded" ? ClaimOutcome.AlreadySucceeded : ClaimOutcome.HeldByAnother;
    }

    public async Task FinishAsync(string job, string runKey, bool succeeded, string summary, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        await db.JobRuns.Where(r => r.Job == job && r.RunKey == runKey && r.Owner == ServerId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, succeeded ? "succeeded" : "failed")
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Summary, summary.Length > 2000 ? summary[..2000] : summary), CancellationToken.None);
    }

    public async Task<bool> IsRunningAsync(string job, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        return await db.JobRuns.AnyAsync(r => r.Job == job && r.Status == "running" && r.LeaseExpiresAt >= now, ct);
    }
}
