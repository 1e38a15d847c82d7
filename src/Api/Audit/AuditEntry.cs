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
    /// <summary>allowed | denied | failed.</summary>
    public required string Outcome { get; init; }
    public string? Detail { get; init; }
}
