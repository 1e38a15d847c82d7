using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Security;

/// <summary>Requests per client and window, per role, for writes and for reads; bound from "RateLimits".</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Write requests allowed per client per window, by role: a provider posts bursts, a patient's app does not.</summary>
    public Dictionary<string, int> PermitsPerRole { get; set; } = new();

    /// <summary>Reads (GET) allowed per client per window, by role; a role not listed gets <see cref="DefaultReadPermits"/>.</summary>
    public Dictionary<string, int> ReadPermitsPerRole { get; set; } = new();

    [Range(1, int.MaxValue)]
    public int DefaultReadPermits { get; set; } = 600;
}
