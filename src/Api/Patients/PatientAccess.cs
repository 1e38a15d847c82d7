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

                if (!await IsAllowedAsync(db, http.User, patientId, access, http.RequestAborted))
                {
                    await audit.RecordAsync(http.User, patientId, action, "denied");
                    return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                        detail: $"You may not access patient '{patientId}'.");
                }

                try
                {
                    var result = await next(context);
                    var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
                    await audit.RecordAsync(http.User, patientId, action, status < 400 ? "allowed" : $"failed:{status}");
                    return result;
                }
                catch (Exception ex)
                {
                    await audit.RecordAsync(http.User, patientId, action, "failed", ex.GetType().Name);
                    throw;
                }
            })
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>Clinical content (conditions, measurements, activities) is for the patient and their care team, not for support.</summary>
    public static bool SeesClinicalContent(ClaimsPrincipal user, Patient patient) =>
        (user.IsInRole(Roles.Patient) && user.PatientClaim() == patient.Id)
        || (user.IsInRole(Roles.Clinician) && patient.CareTeam.Any(m => m.ClinicianId == user.Subject()));

    public static async Task<bool> IsAllowedAsync(BenefitDb db, ClaimsPrincipal user, string patientId, PatientAccess access,
        CancellationToken cancellationToken)
    {
        if (access.HasFlag(PatientAccess.Self) && user.IsInRole(Roles.Patient) && user.PatientClaim() == patientId)
            return true;
        if (access.HasFlag(PatientAccess.Admin) && user.IsInRole(Roles.Admin))
            return true;
        if (access.HasFlag(PatientAccess.CareTeam) && user.IsInRole(Roles.Clinician))
        {
            var clinician = user.Subject();
            return await db.CareTeamMembers.AnyAsync(m => m.PatientId == patientId && m.ClinicianId == clinician, cancellationToken);
        }
        return false;
    }
}
