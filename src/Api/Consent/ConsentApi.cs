using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Benefit.Api.Data;
using Benefit.Api.Patients;
using Benefit.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Consent;

public static class ConsentApi
{
    public static IEndpointRouteBuilder MapConsentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/patients/{id}/consent").WithTags("Consent").RequireAuthorization();

        api.MapGet("/", GetConsent)
            .WithName(nameof(GetConsent))
            .WithSummary("The patient's consent to personalisation and to training use, with its history")
            .WithPatientAccess(PatientAccess.SelfOrCareTeam, "consent.read");

        api.MapPut("/", PutConsent)
            .WithName(nameof(PutConsent))
            .WithSummary("Change consent; only the patient can, and each change is dated")
            .WithPatientAccess(PatientAccess.Self, "consent.write")
            .RequireRateLimiting(RateLimits.Writes);

        return app;
    }

    public static async Task<Results<Ok<ConsentDto>, NotFound>> GetConsent(string id, BenefitDb db, CancellationToken ct)
    {
        var consent = await db.Consents.AsNoTracking().FirstOrDefaultAsync(c => c.PatientId == id, ct);
        if (consent is null)
            return TypedResults.NotFound();
        return TypedResults.Ok(await ConsentDto.LoadAsync(db, consent, ct));
    }

    public static async Task<Results<Ok<ConsentDto>, NotFound>> PutConsent(
        string id, ConsentRequest request, ClaimsPrincipal user, BenefitDb db, TimeProvider clock, CancellationToken ct)
    {
        var consent = await db.Consents.FirstOrDefaultAsync(c => c.PatientId == id, ct);
        if (consent is null)
            return TypedResults.NotFound();

        var now = clock.GetUtcNow().UtcDateTime;
        Record("personalisation", consent.Personalisation, request.Personalisation!.Value);
        Record("training", consent.Training, request.Training!.Value);
        consent.Personalisation = request.Personalisation.Value;
        consent.Training = request.Training.Value;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ConsentDto.LoadAsync(db, consent, ct));

        void Record(string flag, bool before, bool after)
        {
            if (before == after) return;
            consent.UpdatedAt = now;
            db.ConsentChanges.Add(new ConsentChange { PatientId = id, Flag = flag, Value = after, ChangedAt = now, ChangedBy = user.Subject() });
        }
    }
}

/// <summary>Both flags are required so a client never turns one off by leaving it out.</summary>
public sealed record ConsentRequest([property: Required] bool? Personalisation, [property: Required] bool? Training);

public sealed record ConsentChangeDto(string Flag, bool Value, DateTime ChangedAt, string ChangedBy);

public sealed record ConsentDto(string PatientId, bool Personalisation, bool Training, DateTime UpdatedAt, IReadOnlyList<ConsentChangeDto> History)
{
    public static async Task<ConsentDto> LoadAsync(BenefitDb db, PatientConsent c, CancellationToken ct)
    {
        var history = await db.ConsentChanges.AsNoTracking().Where(h => h.PatientId == c.PatientId)
            .OrderBy(h => h.Id).Select(h => new ConsentChangeDto(h.Flag, h.Value, h.ChangedAt, h.ChangedBy)).ToListAsync(ct);
        return new ConsentDto(c.PatientId, c.Personalisation, c.Training, c.UpdatedAt, history);
    }
}
