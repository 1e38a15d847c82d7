using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Rewards;
using Microsoft.Extensions.Logging;

namespace Benefit.Loyalty;

/// <summary>
/// The points ledger: awards, two-phase redemptions, reversals, adjustments and expiry.
/// Every write locks the patient's account (row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite),
/// appends entries, updates the cached balance and the FIFO lots in one transaction, so debits
/// never exceed credits and the balance always equals the sum of entries.
/// Thread-safe: each call uses its own context. The work is done by one type per idea (awards in
/// <see cref="AwardQueue"/>, <see cref="AwardGroupWriter"/> and <see cref="SingleAwards"/>, priced by <see cref="AwardPricing"/>;
/// <see cref="RedemptionDesk"/>, <see cref="Corrections"/>, <see cref="LedgerQueries"/>, <see cref="RewardCatalogue"/>).
/// </summary>
public sealed class PointsLedger : IAsyncDisposable
{
    /// <summary>Meter "Benefit.Loyalty": award group sizes and write times (e.g. <c>dotnet-counters monitor --counters Benefit.Loyalty</c>).</summary>
    public const string MeterName = "Benefit.Loyalty";

    private readonly IdempotentWrites _once;
    private readonly AwardQueue _awards;
    private readonly SingleAwards _single;
    private readonly RedemptionDesk _redemptions;
    private readonly Corrections _corrections;
    private readonly LedgerQueries _queries;
    private readonly RewardCatalogue _rewards;

    /// <param name="companion">The host's audit trail for awards reported with an <see cref="AwardReporter"/> (the API's).</param>
    public PointsLedger(LoyaltyDbFactory dbs, PointsRules rules, LoyaltyOptions options, TimeProvider clock,
        IAwardCompanion? companion = null, ILogger<PointsLedger>? logger = null)
    {
        var accounts = new AccountTransactions(dbs, clock);
        var book = new Bookkeeper(options, clock);
        var pricing = new AwardPricing(rules, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZoneId));
        _once = new IdempotentWrites(dbs, accounts, options, clock);
        _single = new SingleAwards(dbs, pricing, book, accounts, _once, clock, companion);
        _awards = new AwardQueue(dbs, new AwardGroupWriter(pricing, book, clock, companion), _single, options.AwardWriters, logger);
        _redemptions = new RedemptionDesk(accounts, _once, book, dbs, options, clock);
        _corrections = new Corrections(dbs, accounts, _once, book, clock);
        _queries = new LedgerQueries(dbs, clock);
        _rewards = new RewardCatalogue(dbs, options);
    }

    /// <summary>Groups committed, and groups that failed as a whole and were written one by one (for tests and diagnostics).</summary>
    internal (long Written, long Failed) AwardGroups => _awards.Groups;

    /// <summary>
    /// Prices a reported activity and awards its points, or says why there are none (<see cref="AwardResult.Reason"/>).
    /// A provider + external event id is stored once: a second report under another key earns nothing (DuplicateEvent),
    /// except that a verified report of a pending self-report verifies it. Self-reported activity is pending:
    /// it earns nothing until a provider verifies it, and then counts under the normal caps.
    /// </summary>
    /// <remarks>
    /// Concurrent awards are written in groups: one transaction and one durable commit for all the reports waiting at that
    /// moment (see <see cref="AwardQueue"/>). The answer comes only after its group has committed.
    /// </remarks>
    /// <param name="reporter">Who reported it; with an <see cref="IAwardCompanion"/>, the award's audit row names them.</param>
    public Task<AwardResult> AwardAsync(ActivityReport report, IdempotencyKey key, AwardReporter? reporter = null, CancellationToken ct = default)
    {
        if (new[] { report.PatientId, report.Provider, report.ExternalEventId, report.ActivityType }.Any(string.IsNullOrWhiteSpace))
            throw new LedgerException(LedgerErrorCode.InvalidRequest, "Patient, provider, external event id and activity type are required.");
        if (string.IsNullOrWhiteSpace(key.Scope) || string.IsNullOrWhiteSpace(key.Key))
            throw new LedgerException(LedgerErrorCode.InvalidRequest, "An idempotency key needs a scope and a key.");
        return _awards.AwardAsync(report, key, reporter, ct);
    }

    /// <summary>A provider confirms a pending self-reported activity; it is then priced under the normal caps. Repeating it returns the same result.</summary>
    public Task<AwardResult> VerifyActivityAsync(string provider, string externalEventId, CancellationToken ct = default) =>
        _single.VerifyAsync(provider, externalEventId, ct);

    /// <summary>Holds points and stock for a partner to fulfil; confirm or cancel it before <see cref="LoyaltyOptions.ReservationTimeout"/> or it expires.</summary>
    public Task<Redemption> ReserveAsync(RedemptionRequest request, IdempotencyKey key, CancellationToken ct = default) =>
        _redemptions.ReserveAsync(request, key, ct);

    /// <summary>Spends points on a reward in one step (no partner confirmation needed).</summary>
    public Task<Redemption> RedeemAsync(RedemptionRequest request, IdempotencyKey key, CancellationToken ct = default) =>
        _redemptions.RedeemAsync(request, key, ct);

    /// <summary>The partner fulfilled the reservation: the held points become spent. Confirming twice is harmless.</summary>
    public Task<Redemption> ConfirmAsync(string patientId, Guid reservationId, CancellationToken ct = default) =>
        _redemptions.ConfirmAsync(patientId, reservationId, ct);

    /// <summary>The reservation will not be fulfilled: points and stock go back. Cancelling twice is harmless.</summary>
    public Task<Redemption> CancelAsync(string patientId, Guid reservationId, CancellationToken ct = default) =>
        _redemptions.CancelAsync(patientId, reservationId, ct);

    /// <summary>Returns points and stock of reservations left unconfirmed past their time; a frequent job calls this. Returns how many expired.</summary>
    public Task<int> ExpireReservationsAsync(CancellationToken ct = default) => _redemptions.ExpireReservationsAsync(ct);

    /// <summary>
    /// Takes back an award (fraud, a mistaken report); the balance never goes negative, and what was already spent is recorded
    /// as <see cref="ReversalResult.Shortfall"/>. An award can be reversed once.
    /// </summary>
    public Task<ReversalResult> ReverseAwardAsync(long awardEntryId, string reason, IdempotencyKey key, CancellationToken ct = default) =>
        _corrections.ReverseAsync(awardEntryId, reason, key, ct);

    /// <summary>A manual correction with a reason: positive adds a new lot, negative takes points oldest-first and may not exceed the balance.</summary>
    public Task<long> AdjustAsync(string patientId, int points, string reason, IdempotencyKey key, CancellationToken ct = default) =>
        _corrections.AdjustAsync(patientId, points, reason, key, ct);

    /// <summary>Expires points older than <see cref="LoyaltyOptions.PointsLifetimeMonths"/>, oldest lot first; the daily job calls this. Returns the points expired.</summary>
    public Task<int> ExpirePointsAsync(CancellationToken ct = default) => _corrections.ExpirePointsAsync(ct);

    /// <summary>Deletes keys older than the retention (at least 24 hours); a daily job calls this.</summary>
    public Task<int> PurgeIdempotencyKeysAsync(CancellationToken ct = default) => _once.PurgeAsync(ct);

    public Task<PointsStatement> GetStatementAsync(string patientId, TimeSpan? expiringWithin = null, CancellationToken ct = default) =>
        _queries.GetStatementAsync(patientId, expiringWithin, ct);

    /// <summary>The patient's entries, newest first.</summary>
    public Task<HistoryPage> GetHistoryAsync(string patientId, int page = 1, int pageSize = 20, CancellationToken ct = default) =>
        _queries.GetHistoryAsync(patientId, page, pageSize, ct);

    public Task<Redemption?> GetRedemptionAsync(string patientId, Guid reservationId, CancellationToken ct = default) =>
        _queries.GetRedemptionAsync(patientId, reservationId, ct);

    /// <summary>
    /// Sessions of catalogue interventions before <paramref name="before"/> that a provider verified (awarded or capped to no
    /// points; not pending, not reversed), ordered by patient and time: what the nightly retrain learns who kept up from.
    /// </summary>
    public Task<IReadOnlyList<InterventionSession>> InterventionSessionsAsync(DateTimeOffset before, CancellationToken ct) =>
        _queries.InterventionSessionsAsync(before, ct);

    /// <summary>Recomputes an account's books from entries, lots and reservations (tests and integrity checks).</summary>
    public Task<AccountAudit> AuditAccountAsync(string patientId, CancellationToken ct = default) => _queries.AuditAccountAsync(patientId, ct);

    public Task<IReadOnlyList<RewardOffer>> GetRewardsAsync(CancellationToken ct = default) => _rewards.GetRewardsAsync(ct);

    /// <summary>Adds rewards that are missing and refreshes catalogue facts of existing ones; stock of existing rewards is never reset.</summary>
    public Task<int> SeedRewardsAsync(IReadOnlyList<Reward>? rewards = null, CancellationToken ct = default) => _rewards.SeedRewardsAsync(rewards, ct);

    /// <summary>Stops taking awards once the queued ones are written.</summary>
    public ValueTask DisposeAsync() => _awards.DisposeAsync();
}
