using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Benefit.Api.Data;
using Benefit.Api.Extensions;
using Benefit.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Audit;

public static class AuditApi
{
    /// <summary>Read-only by design: there is no route that changes or deletes an entry.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/audit", GetAudit)
            .WithTags("Audit")
            .WithName(nameof(GetAudit))
            .WithSummary("Read the audit trail: who accessed which patient's data, when, and how it ended (newest first)")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    /// <summary>Reading the trail is itself recorded: who looked at whose entries.</summary>
    public static async Task<Ok<Page<AuditEntry>>> GetAudit(ClaimsPrincipal user, BenefitDb db, AuditLog audit, CancellationToken ct,
        string? patient = null, DateTime? from = null, DateTime? to = null,
        [Range(1, 100_000)] int page = 1, [Range(1, 500)] int pageSize = 100)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (patient is not null) query = query.Where(a => a.PatientId == patient);
        if (from is not null) query = query.Where(a => a.At >= from.Value.ToUniversalTime());
        if (to is not null) query = query.Where(a => a.At < to.Value.ToUniversalTime());
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        await audit.RecordAsync(user, patient, "audit.read", "allowed", $"from {from:O} to {to:O}, page {page}", ct);
        return TypedResults.Ok(new Page<AuditEntry>(items, page, pageSize, total));
    }
}
