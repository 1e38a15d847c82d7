namespace Benefit.Api.Models;

/// <summary>
/// One trained model version with its bytes, card and report. The database is the source of truth so that every
/// API instance loads the same champion; models/ in the repository only holds the default for a fresh start.
/// </summary>
public sealed class ModelVersionRecord
{
    public required string Version { get; init; }
    /// <summary>champion | challenger | rejected | retired.</summary>
    public required string Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? PromotedAt { get; set; }
    public required string CardJson { get; set; }
    public string? ReportHtml { get; set; }
    public byte[]? ModelBytes { get; set; }
    /// <summary>Why it was promoted or rejected, in words a data scientist reads.</summary>
    public string? Decision { get; set; }
    /// <summary>The champion it replaced, for rollback.</summary>
    public string? PreviousChampion { get; set; }
}
