using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Benefit.Api.Audit;
using Benefit.Api.Consent;
using Benefit.Api.Data;
using Benefit.Api.Extensions;
using Benefit.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Benefit.Fhir;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Patients;

public static class PatientsApi
{
    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/patients").WithTags("Patients");

        api.MapPost("/", EnrolPatient)
            .WithName(nameof(EnrolPatient))
            .WithSummary("Enrol a patient (admins): FHIR link, care team and the demographics used for fairness reporting")
            .RequireAuthorization(p => p.RequireRole(Roles.Clinician, Roles.Admin)) // a clinician's attempt is refused and audited in the handler
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

    /// <summary>
    /// Admin-only (docs/security.md, "Enrolment"): a FHIR record is linked to at most one patient and only on the server
    /// this deployment reads, so enrolment cannot become a way to read someone else's record.
    /// </summary>
    public static async Task<Results<Created<PatientDto>, ProblemHttpResult>> EnrolPatient(
        EnrolPatientRequest request, ClaimsPrincipal user, BenefitDb db, AuditLog audit, IOptions<FhirSourceOptions> fhir,
        TimeProvider clock, CancellationToken ct)
    {
        var source = fhir.Value;
        var reference = $"fhir {request.Fhir.Server.Trim().TrimEnd('/')}/Patient/{request.Fhir.PatientId}";
        // The entry goes against the patient already holding this FHIR record when there is one, so /audit?patient=<them> shows the attempt.
        var holder = await db.Patients.AsNoTracking()
            .Where(p => p.FhirServer == source.ServerName && p.FhirPatientId == request.Fhir.PatientId)
            .Select(p => p.Id).FirstOrDefaultAsync(ct);

        if (!user.IsInRole(Roles.Admin))
        {
            await audit.RecordAsync(user, holder ?? request.Id, "patient.enrol", "denied", $"{reference} as '{request.Id}'; only admins enrol", ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Patients are enrolled by an administrator; ask one to add the patient to your care team.");
        }
        if (!source.IsConfiguredServer(request.Fhir.Server))
        {
            await audit.RecordAsync(user, request.Id, "patient.enrol", "failed:422", reference, ct);
            return Invalid(StatusCodes.Status422UnprocessableEntity, "Unknown FHIR server", "fhir.server",
                $"This service reads patient records only from its configured FHIR source ('{source.ServerName}').");
        }
        if (holder is not null)
        {
            await audit.RecordAsync(user, holder, "patient.enrol", "failed:409", $"{reference} is already linked to '{holder}' (attempted id '{request.Id}')", ct);
            return Invalid(StatusCodes.Status409Conflict, "FHIR record already enrolled", "fhir.patientId",
                $"FHIR patient '{request.Fhir.PatientId}' is already linked to enrolled patient '{holder}'.");
        }
        if (await db.Patients.AnyAsync(p => p.Id == request.Id, ct))
        {
            await audit.RecordAsync(user, request.Id, "patient.enrol", "failed:409", cancellationToken: ct);
            return Invalid(StatusCodes.Status409Conflict, "Patient already enrolled", "id", $"A patient with id '{request.Id}' is already enrolled.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var patient = new Patient
        {
            Id = request.Id,
            FhirServer = source.ServerName,
            FhirPatientId = request.Fhir.PatientId,
            AgeBand = request.AgeBand,
            Sex = request.Sex,
            SocioEconomicBand = request.SocioEconomicBand,
            Language = request.Language,
            EnrolledAt = now,
            CareTeam = request.CareTeam.Distinct().Select(c => new CareTeamMember { PatientId = request.Id, ClinicianId = c }).ToList(),
        };
        db.Patients.Add(patient);
        db.Consents.Add(new PatientConsent { PatientId = request.Id, UpdatedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two enrolments of the same record or id at once: the unique keys let one through.
            await audit.RecordAsync(user, request.Id, "patient.enrol", "failed:409", $"{reference}; lost a race", ct);
            return Invalid(StatusCodes.Status409Conflict, "Patient already enrolled", "fhir.patientId",
                "The patient or their FHIR record was enrolled at the same moment by another request.");
        }
        await audit.RecordAsync(user, request.Id, "patient.enrol", "allowed", reference, ct);
        return TypedResults.Created($"/patients/{patient.Id}", PatientDto.From(patient));
    }

    private static ProblemHttpResult Invalid(int status, string title, string field, string reason) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
        {
            Title = title, Status = status, Detail = reason,
        });

    /// <summary>The patient and their care team see everything; an admin (support) sees enrolment data without known conditions.</summary>
    public static async Task<Results<Ok<PatientDto>, ProblemHttpResult>> GetPatient(
        string id, HttpContext http, BenefitDb db, CancellationToken ct)
    {
        var patient = await db.Patients.Include(p => p.CareTeam).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (patient is null)
            return PatientProblems.NotFound(id);
        var dto = PatientDto.From(patient);
        return TypedResults.Ok(http.IsSupportView() ? dto with { KnownConditions = null } : dto);
    }

    public static async Task<Ok<Page<PatientSummary>>> GetMyCaseload(
        ClaimsPrincipal user, BenefitDb db, AuditLog audit, CancellationToken ct, [Range(1, 10_000)] int page = 1, [Range(1, 200)] int pageSize = 50)
    {
        var clinician = user.Subject();
        var query = db.Patients.AsNoTracking()
            .Where(p => p.CareTeam.Any(m => m.ClinicianId == clinician))
            .OrderBy(p => p.Id);
        var total = await query.CountAsync(ct);
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(p => new PatientSummary(p.Id, p.AgeBand, p.Sex, p.SocioEconomicBand))
            .ToListAsync(ct);
        await audit.RecordAsync(user, null, "caseload.read", "allowed", $"page {page} of {pageSize}: {string.Join(',', items.Select(i => i.Id))}", ct);
        return TypedResults.Ok(new Page<PatientSummary>(items, page, pageSize, total));
    }
}

/// <summary>Where the patient's record lives: <c>server</c> must be this deployment's FHIR base URL (or "embedded" for the demo bundles).</summary>
public sealed record FhirLink(
    [property: Required, MaxLength(512)] string Server,
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
