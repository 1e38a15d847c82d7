using Benefit.Loyalty.Activities;

namespace Benefit.Api.Audit;

/// <summary>
/// The audit entry of each award ("points.award", allowed), which the ledger writes in the award's own transaction, so the
/// evidence commits with the effect and an award needs no second durable commit. The row's columns are those of
/// <see cref="AuditEntry"/> (table <c>audit_entries</c>). Refusals are audited by the endpoint.
/// </summary>
public sealed class AwardAuditCompanion(TimeProvider clock) : IAwardCompanion
{
    public const string Action = "points.award";

    public string AuditTable => "audit_entries";

    public AwardAuditRow AuditRow(ActivityReport report, AwardResult result, AwardReporter reporter) =>
        new(clock.GetUtcNow().UtcDateTime, reporter.Subject, reporter.Role, report.PatientId, Action, "allowed",
            Purpose: reporter.Purpose, TraceId: reporter.TraceId, ClientAddress: reporter.ClientAddress);

    /// <summary>The reporter of a provider's request, with what the audit trail records of every request.</summary>
    public static AwardReporter Reporter(HttpContext http)
    {
        var caller = AuditCaller.Of(http.User, http);
        return new(caller.Subject, caller.Role, caller.Purpose, caller.TraceId, caller.ClientAddress);
    }
}
