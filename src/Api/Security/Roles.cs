using System.Security.Claims;

namespace Benefit.Api.Security;

public static class Roles
{
    public const string Patient = "patient";
    public const string Clinician = "clinician";
    public const string DataScientist = "data-scientist";
    public const string Provider = "provider";
    public const string Admin = "admin";

    public static readonly string[] All = [Patient, Clinician, DataScientist, Provider, Admin];
}

public static class CallerExtensions
{
    /// <summary>The subject: the token's name (user-jwts --name) or, failing that, its sub.</summary>
    public static string Subject(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? "anonymous";

    /// <summary>SMART-style patient context of a patient token.</summary>
    public static string? PatientClaim(this ClaimsPrincipal user) => user.FindFirstValue("patient");

    public static string? ProviderClaim(this ClaimsPrincipal user) => user.FindFirstValue("provider");

    /// <summary>The caller's role for auditing; the most privileged one when a token carries several.</summary>
    public static string PrimaryRole(this ClaimsPrincipal user) =>
        new[] { Roles.Admin, Roles.Clinician, Roles.DataScientist, Roles.Provider, Roles.Patient }
            .FirstOrDefault(user.IsInRole) ?? "none";
}
