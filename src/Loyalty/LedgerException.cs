namespace Benefit.Loyalty;

/// <summary>Machine-readable reasons a ledger operation was refused; the HTTP layer maps each to one status.</summary>
public enum LedgerErrorCode
{
    /// <summary>The balance does not cover the cost (HTTP 409).</summary>
    InsufficientPoints,
    /// <summary>The reward has too few units left (HTTP 409).</summary>
    OutOfStock,
    /// <summary>No reward with that id (HTTP 404 or 422).</summary>
    UnknownReward,
    /// <summary>A required field is empty or a quantity/amount is not a positive whole number (HTTP 400).</summary>
    InvalidRequest,
    /// <summary>The idempotency key was used before with a different request (HTTP 422).</summary>
    IdempotencyKeyReused,
    /// <summary>A request with the same idempotency key is still being processed (HTTP 409).</summary>
    RequestInFlight,
    /// <summary>No reservation with that id for that patient (HTTP 404).</summary>
    ReservationNotFound,
    /// <summary>The reservation was already cancelled, expired or confirmed (HTTP 409).</summary>
    ReservationNotActive,
    /// <summary>No award ledger entry with that id (HTTP 404).</summary>
    AwardNotFound,
    /// <summary>The award was reversed before (HTTP 409).</summary>
    AlreadyReversed,
    /// <summary>No pending self-reported activity with that provider and event id (HTTP 404).</summary>
    ActivityNotFound,
}

/// <summary>A broken ledger rule; <see cref="Code"/> says which, so callers never parse the message.</summary>
public sealed class LedgerException(LedgerErrorCode code, string message) : Exception(message)
{
    public LedgerErrorCode Code { get; } = code;
}
