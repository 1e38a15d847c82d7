using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Benefit.Api.Audit;
using Benefit.Api.Consent;
using Benefit.Api.Data;
using Benefit.Api.Extensions;
using Benefit.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Patients;

public static class PatientsApi
{
    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/patients").WithTags("Patients");

        api.MapPost("/", EnrolPatient)
            .WithName(nameof(EnrolPatient))
            .WithSummary("Enrol a patient: FHIR link, care team and the demographics used for fairness reporting")
            .RequireAuthorization(p => p.RequireRole(Roles.Clinician, Roles.Admin))
            .RequireRateLimiting(RateLimits.Writes);

        api.MapGet("/{id}", GetPatient)
            .WithName(nameof(GetPatient))
            .WithSummary("Read an enrolled patient")
            .RequireAuthorization()
            .WithPatientAccess(PatientAccess.SelfOrCareTeam | PatientAccess.Admin, "patient.read");

        app.MapGet("/clinicians/me/patients", GetMyCaseload)
            .WithTags("Patients")
            .WithName(nameof(GetMyCaseload))
            .WithSummary("The signed-in clinician's care-team patients, paged")
            .RequireAuthorization(p => p.RequireRole(Roles.Clinician));

        return app;
    }

    public static async Task<Results<Created<PatientDto>, ProblemHttpResult>> EnrolPatient(
        EnrolPatientRequest request, ClaimsPrincipal user, BenefitDb db, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var careTeam = request.CareTeam.Distinct().ToList();
        // A clinician enrols onto their own care team; an admin may enrol for any team.
        if (user.IsInRole(Roles.Clinician) && !user.IsInRole(Roles.Admin) && !careTeam.Contains(user.Subject()))
            careTeam.Add(user.Subject());

        if (await db.Patients.AnyAsync(p => p.Id == request.Id, ct))
        {
            await audit.RecordAsync(user, request.Id, "patient.enrol", "failed:409", cancellationToken: ct);
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["id"] = [$"A patient with id '{request.Id}' is already enrolled."],
            }) { Title = "Patient already enrolled", Status = StatusCodes.Status409Conflict });
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var patient = new Patient
        {
            Id = request.Id,
            FhirServer = request.Fhir.Server,
            FhirPatientId = request.Fhir.PatientId,
            AgeBand = request.AgeBand,
            Sex = request.Sex,
            SocioEconomicBand = request.SocioEconomicBand,
            Language = request.Language,
            EnrolledAt = now,
            CareTeam = careTeam.Select(c => new CareTeamMember { PatientId = request.Id, ClinicianId = c }).ToList(),
        };
        db.Patients.Add(patient);
        db.Consents.Add(new PatientConsent { PatientId = request.Id, UpdatedAt = now });
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(user, request.Id, "patient.enrol", "allowed", cancellationToken: ct);
        return TypedResults.Created($"/patients/{patient.Id}", PatientDto.From(patient));
    }

    public static async Task<Results<Ok<PatientDto>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> GetPatient(
        string id, BenefitDb db, CancellationToken ct)
    {
        var patient = await db.Patients.Include(p => p.CareTeam).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return patient is null
            ? TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = "Patient not found", Status = 404, Detail = $"No patient '{id}'." })
            : TypedResults.Ok(PatientDto.From(patient));
    }

    public static async Task<Ok<Page<PatientSummary>>> GetMyCaseload(
        ClaimsPrincipal user, BenefitDb db, CancellationToken ct, [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50)
    {
        var clinician = user.Subject();
        var query = db.Patients.AsNoTracking()
            .Where(p => p.CareTeam.Any(m => m.ClinicianId == clinician))
            .OrderBy(p => p.Id);
        var total = await query.CountAsync(ct);
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(p => new PatientSummary(p.Id, p.AgeBand, p.Sex, p.SocioEconomicBand))
            .ToListAsync(ct);
        return TypedResults.Ok(new Page<PatientSummary>(items, page, pageSize, total));
    }
}

public sealed record FhirLink(
    [property: Required, Url, MaxLength(512)] string Server,
    [property: Required, RegularExpression("^[A-Za-z0-9\\-\\.]{1,64}$", ErrorMessage = "A FHIR logical id has 1-64 letters, digits, '-' or '.'.")] string PatientId);

public sealed record EnrolPatientRequest
{
    [Required, RegularExpression("^[A-Za-z0-9\\-]{1,64}$", ErrorMessage = "Use 1-64 letters, digits or '-'.")]
    public required string Id { get; init; }
    [Required]
    public required FhirLink Fhir { get; init; }
    [MaxLength(20)]
    public IReadOnlyList<string> CareTeam { get; init; } = [];
    [RegularExpression("^(18-44|45-54|55-64|65-74|75-84|85\\+)$", ErrorMessage = "One of 18-44, 45-54, 55-64, 65-74, 75-84, 85+.")]
    public string? AgeBand { get; init; }
    [RegularExpression("^(female|male|other)$", ErrorMessage = "One of female, male, other; leave out when unknown.")]
    public string? Sex { get; init; }
    [RegularExpression("^(low|mid|high)$", ErrorMessage = "One of low, mid, high; leave out when not known (never guessed).")]
    public string? SocioEconomicBand { get; init; }
    [RegularExpression("^[a-z]{2}$", ErrorMessage = "A two-letter language code such as nl or en.")]
    public string? Language { get; init; }
}

public sealed record PatientDto(string Id, FhirLink Fhir, IReadOnlyList<string> CareTeam, string? AgeBand, string? Sex,
    string? SocioEconomicBand, string? Language, DateTime EnrolledAt, IReadOnlyList<string>? KnownConditions = null)
{
    public static PatientDto From(Patient p) => new(p.Id, new FhirLink(p.FhirServer, p.FhirPatientId),
        p.CareTeam.Select(m => m.ClinicianId).Order().ToList(), p.AgeBand, p.Sex, p.SocioEconomicBand, p.Language, p.EnrolledAt,
        [.. (p.KnownConditions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)]);
}

public sealed record PatientSummary(string Id, string? AgeBand, string? Sex, string? SocioEconomicBand);
