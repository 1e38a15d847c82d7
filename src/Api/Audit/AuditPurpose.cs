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

    /// <summary>The client's address as the pipeline sees it (after forwarded headers from a trusted proxy).</summary>
    public static string? ClientAddress(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString();
}
