namespace Benefit.Api.Jobs;

/// <summary>
/// One run of a named job for one run key (its night): the guard that holds across servers. Inserting the row
/// claims the run; a finished row makes a retried or duplicated job a no-op; an expired lease may be taken over.
/// </summary>
public sealed class JobRun
{
    public required string Job { get; init; }
    public required string RunKey { get; init; }
    /// <summary>running | succeeded | failed.</summary>
    public required string Status { get; set; }
    public required string Owner { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime LeaseExpiresAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Summary { get; set; }
    public int Attempts { get; set; }
}
