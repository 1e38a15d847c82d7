using System.Security.Claims;
using System.Threading.Channels;
using Benefit.Api.Data;
using Benefit.Loyalty.Persistence;

namespace Benefit.Api.Audit;

/// <summary>
/// Writes audit entries in their own unit of work, so a failed request is still recorded and never rolls the entry back.
/// Entries are written in groups: every entry waiting when the writer is free goes into one transaction and one durable
/// commit, and each caller continues only once its entry is committed. On SQLite the writer queues behind the same
/// in-process write gate as the points ledger, so the two never fight over the database's single write lock.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private const int MaxGroup = 512;
    /// <summary>Set on a request once it has an audit entry, so the refusal recorder does not write a second one.</summary>
    public const string AuditedKey = "benefit.audited";
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly LoyaltyDbFactory _ledgerDatabase;
    private readonly ILogger<AuditLog> _logger;
    private readonly IHttpContextAccessor _http;
    private readonly Channel<(AuditEntry Entry, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(AuditEntry, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;

    public AuditLog(IServiceScopeFactory scopes, TimeProvider clock, LoyaltyDbFactory ledgerDatabase, IHttpContextAccessor http, ILogger<AuditLog> logger)
    {
        (_scopes, _clock, _ledgerDatabase, _http, _logger) = (scopes, clock, ledgerDatabase, http, logger);
        _writer = new Lazy<Task>(() => Task.Run(WriteGroupsAsync));
    }

    /// <summary>Records one entry and returns once it is durable; the request's trace id and client address come with it.</summary>
    public async Task RecordAsync(ClaimsPrincipal user, string? patientId, string action, string outcome, string? detail = null,
        CancellationToken cancellationToken = default)
    {
        var http = _http.HttpContext;
        if (http is not null) http.Items[AuditedKey] = true;
        var caller = AuditCaller.Of(user, http);
        var entry = new AuditEntry
        {
            At = _clock.GetUtcNow().UtcDateTime,
            Subject = caller.Subject,
            Role = caller.Role,
            PatientId = patientId,
            Action = action,
            Outcome = outcome,
            Detail = detail,
            Purpose = caller.Purpose,
            TraceId = caller.TraceId,
            ClientAddress = caller.ClientAddress,
        };
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _writer.Value;
        // Not cancellable once asked for: the entry is evidence that the request happened.
        await _queue.Writer.WriteAsync((entry, done), CancellationToken.None);
        await done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer.IsValueCreated) await _writer.Value;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<(AuditEntry Entry, TaskCompletionSource Done)>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var item)) group.Add(item);
            try
            {
                await WriteAsync(group.Select(g => g.Entry));
                foreach (var (_, done) in group) done.TrySetResult();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Could not write {Count} audit entries", group.Count);
                foreach (var (_, done) in group) done.TrySetException(e);
            }
            group.Clear();
        }
    }

    private async Task WriteAsync(IEnumerable<AuditEntry> entries)
    {
        using var gate = await _ledgerDatabase.EnterWriteAsync(CancellationToken.None);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
