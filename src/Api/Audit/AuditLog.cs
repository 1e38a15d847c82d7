using System.Security.Claims;
using Benefit.Api.Data;
using Benefit.Api.Security;

namespace Benefit.Api.Audit;

/// <summary>Writes audit entries in their own unit of work, so a failed request is still recorded and never rolls the entry back.</summary>
public sealed class AuditLog(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task RecordAsync(ClaimsPrincipal user, string? patientId, string action, string outcome, string? detail = null,
        CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Subject = user.Subject(),
            Role = user.PrimaryRole(),
            PatientId = patientId,
            Action = action,
            Outcome = outcome,
            Detail = detail,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
