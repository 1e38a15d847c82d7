using System.Security.Claims;
using Benefit.Api.Audit;
using Benefit.Api.Data;
using Benefit.Api.Security;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Patients;

/// <summary>Who may reach a patient's data through a route.</summary>
[Flags]
public enum PatientAccess
{
    /// <summary>The patient themself (token claim <c>patient</c> equals the route id).</summary>
    Self = 1,
    /// <summary>A clinician on the patient's care team.</summary>
    CareTeam = 2,
    /// <summary>An administrator (enrolment and support, not clinical content).</summary>
    Admin = 4,
    SelfOrCareTeam = Self | CareTeam,
}

/// <summary>
/// Object-level access for every patient route: checks the caller against the route's <c>{id}</c>, answers 403
/// when the caller may not see that patient (whether or not it exists, so nothing leaks), and audits the outcome.
/// </summary>
public static class PatientAccessExtensions
{
    public static RouteHandlerBuilder WithPatientAccess(this RouteHandlerBuilder builder, PatientAccess access, string action) =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var patientId = http.Request.RouteValues["id"] as string ?? "";
                var audit = http.RequestServices.GetRequiredService<AuditLog>();
                var db = http.RequestServices.GetRequiredService<BenefitDb>();

                if (await GrantAsync(db, http.User, patientId, access, http.RequestAborted) is not { } granted)
                {
                    await audit.RecordAsync(http.User, patientId, action, "denied");
                    return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                        detail: $"You may not access patient '{patientId}'.");
                }

                http.Items[GrantedKey] = granted;
                try
                {
                    var result = await next(context);
                    var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
                    await audit.RecordAsync(http.User, patientId, action, status < 400 ? "allowed" : $"failed:{status}", http.Items[DetailKey] as string);
                    return result;
                }
                catch (Exception ex)
                {
                    await audit.RecordAsync(http.User, patientId, action, "failed", ex.GetType().Name);
                    throw;
                }
            })
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>What the handler did, for the audit entry the access filter writes when it returns ("clear pa-running-start").</summary>
    public static void SetAuditDetail(this HttpContext http, string detail) => http.Items[DetailKey] = detail;

    /// <summary>
    /// True when the access filter let the caller in as support (an admin who is neither the patient nor on the care team):
    /// handlers then leave out clinical content (conditions, measurements, activities).
    /// </summary>
    public static bool IsSupportView(this HttpContext http) => http.Items[GrantedKey] is PatientAccess.Admin;

    public static async Task<bool> IsAllowedAsync(BenefitDb db, ClaimsPrincipal user, string patientId, PatientAccess access,
        CancellationToken cancellationToken) =>
        await GrantAsync(db, user, patientId, access, cancellationToken) is not null;

    /// <summary>Which kind of access lets the caller reach the patient, or null; the patient and the care team come before support.</summary>
    private static async Task<PatientAccess?> GrantAsync(BenefitDb db, ClaimsPrincipal user, string patientId, PatientAccess access,
        CancellationToken cancellationToken)
    {
        if (access.HasFlag(PatientAccess.Self) && user.IsInRole(Roles.Patient) && user.PatientClaim() == patientId)
            return PatientAccess.Self;
        if (access.HasFlag(PatientAccess.CareTeam) && user.IsInRole(Roles.Clinician))
        {
            var clinician = user.Subject();
            if (await db.CareTeamMembers.AnyAsync(m => m.PatientId == patientId && m.ClinicianId == clinician, cancellationToken))
                return PatientAccess.CareTeam;
        }
        if (access.HasFlag(PatientAccess.Admin) && user.IsInRole(Roles.Admin))
            return PatientAccess.Admin;
        return null;
    }

    private const string GrantedKey = "benefit.patient-access";
    private const string DetailKey = "benefit.audit-detail";
}
