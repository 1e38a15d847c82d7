namespace Benefit.Loyalty.Activities;

/// <summary>
/// The host's audit trail for awards: for each award reported with an <see cref="AwardReporter"/>, the ledger asks for its
/// <see cref="AwardAuditRow"/> and inserts it into <see cref="AuditTable"/> in the award's own transaction, so evidence and
/// effect commit together and an award costs no second durable commit (the API audits its awards this way). An award that
/// went the single path gets its row in a transaction of its own, after the award.
/// </summary>
public interface IAwardCompanion
{
    /// <summary>The table the rows go into; it has the columns of <see cref="AwardAuditRow"/> (and may have more, with defaults).</summary>
    string AuditTable { get; }

    /// <summary>The audit row of one award; called inside the award's transaction, so it should do no I/O.</summary>
    AwardAuditRow AuditRow(ActivityReport report, AwardResult result, AwardReporter reporter);
}
