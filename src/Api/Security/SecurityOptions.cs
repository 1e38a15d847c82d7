namespace Benefit.Api.Security;

/// <summary>How the service faces the network; bound from the "Security" section.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Serve /openapi/v1.json and /scalar (the partner contract); a deployment may keep them internal.</summary>
    public bool ExposeApiDocs { get; set; } = true;

    /// <summary>Trust X-Forwarded-For/-Proto from the proxies below (a TLS-terminating load balancer), so HTTPS, cookies and audit addresses are right.</summary>
    public bool UseForwardedHeaders { get; set; }

    /// <summary>Addresses of the trusted proxies; empty means loopback only (ASP.NET Core's default).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. 10.0.0.0/8.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}
