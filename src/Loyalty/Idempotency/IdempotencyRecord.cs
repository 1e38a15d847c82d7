namespace Benefit.Loyalty.Idempotency;

/// <summary>A client-chosen key, unique within a scope (e.g. "provider:gym-x" or "patient:p-01").</summary>
public readonly record struct IdempotencyKey(string Scope, string Key)
{
    public override string ToString() => $"{Scope}/{Key}";
}

/// <summary>One claimed key: in flight until the operation commits its result in the same transaction.</summary>
public sealed class IdempotencyRecord
{
    public required string Scope { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public bool Completed { get; set; }
    public string? ResultJson { get; set; }
    /// <summary>Set when the operation failed with a domain error, so a replay fails the same way.</summary>
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>An in-flight claim older than this is presumed abandoned (crash) and may be taken over.</summary>
    public DateTime LeaseUntil { get; set; }
}
