using System.Data.Common;
using System.Security.Claims;
using Benefit.Api.Security;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;

namespace Benefit.Api.Audit;

/// <summary>Who reported an award, carried through the ledger to <see cref="AwardAuditCompanion"/>.</summary>
public sealed record AwardAuditState(string Subject, string Role, string PatientId, string Purpose, string? TraceId, string? ClientAddress)
{
    public static AwardAuditState Of(HttpContext http, string patientId) =>
        new(http.User.Subject(), http.User.PrimaryRole(), patientId, AuditPurpose.Of(http.User), http.TraceIdentifier, AuditPurpose.ClientAddress(http));
}

/// <summary>
/// Writes the audit entry of each award ("points.award", allowed) in the award's own transaction, so the evidence
/// commits with the effect and an award needs no second durable commit. One multi-row insert per group of awards;
/// the columns are those of <see cref="AuditEntry"/> (table <c>audit_entries</c>). Refusals are audited by the endpoint.
/// </summary>
public sealed class AwardAuditCompanion(TimeProvider clock) : IAwardCompanion
{
    public const string Action = "points.award";

    private static readonly RowSet<(AwardAuditState Who, DateTime At)> Rows = new RowSet<(AwardAuditState Who, DateTime At)>()
        .Column("At", r => r.At).Column("Subject", r => r.Who.Subject).Column("Role", r => r.Who.Role).Column("PatientId", r => r.Who.PatientId)
        .Column("Action", _ => Action).Column("Outcome", _ => "allowed")
        .Column("Purpose", r => r.Who.Purpose).Column("TraceId", r => r.Who.TraceId).Column("ClientAddress", r => r.Who.ClientAddress);

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(AwardResult Result, object State)> awards,
        CancellationToken ct)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        await Rows.ExecuteAsync(transaction, awards.Select(a => ((AwardAuditState)a.State, at)).ToList(), Rows.InsertInto("audit_entries"), ct);
    }
}
