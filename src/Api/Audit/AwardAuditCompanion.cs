using System.Data.Common;
using System.Security.Claims;
using System.Text;
using Benefit.Api.Security;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;

namespace Benefit.Api.Audit;

/// <summary>Who reported an award, carried through the ledger to <see cref="AwardAuditCompanion"/>.</summary>
public sealed record AwardAuditState(string Subject, string Role, string PatientId)
{
    public static AwardAuditState Of(ClaimsPrincipal user, string patientId) => new(user.Subject(), user.PrimaryRole(), patientId);
}

/// <summary>
/// Writes the audit entry of each award ("points.award", allowed) in the award's own transaction, so the evidence
/// commits with the effect and an award needs no second durable commit. One multi-row insert per group of awards;
/// the columns are those of <see cref="AuditEntry"/> (table <c>audit_entries</c>). Refusals are audited by the endpoint.
/// </summary>
public sealed class AwardAuditCompanion(TimeProvider clock) : IAwardCompanion
{
    public const string Action = "points.award";

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(AwardResult Result, object State)> awards,
        CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("""INSERT INTO audit_entries ("At", "Subject", "Role", "PatientId", "Action", "Outcome", "Detail") VALUES """);
        command.AddParameter("at", clock.GetUtcNow().UtcDateTime);
        command.AddParameter("action", Action);
        for (var i = 0; i < awards.Count; i++)
        {
            var state = (AwardAuditState)awards[i].State;
            sql.Append(i == 0 ? "" : ", ").Append($"(@at, @s{i}, @r{i}, @p{i}, @action, 'allowed', NULL)");
            command.AddParameter($"s{i}", state.Subject);
            command.AddParameter($"r{i}", state.Role);
            command.AddParameter($"p{i}", state.PatientId);
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(ct);
    }
}
