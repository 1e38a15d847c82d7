using System.Security.Claims;
using Benefit.Api.Security;

namespace Benefit.Api.Audit;

/// <summary>Why a caller touches patient data, recorded with every audit entry (GDPR art. 9: purpose limitation).</summary>
public static class AuditPurpose
{
    public const string Treatment = "treatment";
    public const string SelfService = "self-service";
    public const string Support = "support";
    public const string Research = "research";
    public const string ServiceDelivery = "service-delivery";
    public const string Unknown = "unknown";

    /// <summary>The purpose follows from the role the request was served under (the most privileged one a token carries).</summary>
    public static string Of(ClaimsPrincipal user) => user.PrimaryRole() switch
    {
        Roles.Clinician => Treatment,
        Roles.Patient => SelfService,
        Roles.Admin => Support,
        Roles.DataScientist => Research,
        Roles.Provider => ServiceDelivery,
        _ => Unknown,
    };
}

/// <summary>
/// Who is behind an audit entry and from where: the same fields for an entry written by <see cref="AuditLog"/> and for an
/// award's entry written in the ledger's transaction.
/// </summary>
public sealed record AuditCaller(string Subject, string Role, string Purpose, string? TraceId, string? ClientAddress)
{
    /// <summary>The client address is the one the pipeline sees (after forwarded headers from a trusted proxy).</summary>
    public static AuditCaller Of(ClaimsPrincipal user, HttpContext? http) =>
        new(user.Subject(), user.PrimaryRole(), AuditPurpose.Of(user), http?.TraceIdentifier, http?.Connection.RemoteIpAddress?.ToString());
}
