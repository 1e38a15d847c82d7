namespace Benefit.Api.Audit;

/// <summary>Who did what to which patient's data, when, and how it ended. Append-only.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    public required string Subject { get; init; }
    public required string Role { get; init; }
    public string? PatientId { get; init; }
    public required string Action { get; init; }
    /// <summary>allowed | denied | unauthenticated | rate-limited | failed[:status].</summary>
    public required string Outcome { get; init; }
    public string? Detail { get; init; }
    /// <summary>Why the data was touched, from the caller's role: treatment, self-service, support, research, service-delivery.</summary>
    public string? Purpose { get; init; }
    /// <summary>The request's trace id, as in its Problem Details and logs.</summary>
    public string? TraceId { get; init; }
    /// <summary>The client's address (the forwarded one behind a trusted proxy).</summary>
    public string? ClientAddress { get; init; }
}
