namespace Benefit.Loyalty.Redemptions;

public enum ReservationStatus
{
    /// <summary>Points and stock are held; waiting for the partner to confirm or cancel.</summary>
    Reserved,
    Confirmed,
    Cancelled,
    Expired,
}

/// <summary>A redemption's state; its history lives in the ledger entries that reference it.</summary>
public sealed class Reservation
{
    public Guid Id { get; set; }
    public required string PatientId { get; set; }
    public required string RewardId { get; set; }
    public int Quantity { get; set; }
    public int Points { get; set; }
    public ReservationStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When an unconfirmed reservation gives its points and stock back.</summary>
    public DateTime ExpiresAt { get; set; }
    public DateTime? ClosedAt { get; set; }
}

/// <summary>A patient's request to spend points on a reward.</summary>
public sealed record RedemptionRequest(string PatientId, string RewardId, int Quantity = 1);

/// <summary>A redemption as callers see it.</summary>
public sealed record Redemption(
    Guid Id, string PatientId, string RewardId, int Quantity, int Points,
    ReservationStatus Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    internal static Redemption From(Reservation r) => new(
        r.Id, r.PatientId, r.RewardId, r.Quantity, r.Points, r.Status,
        new DateTimeOffset(r.CreatedAt, TimeSpan.Zero), new DateTimeOffset(r.ExpiresAt, TimeSpan.Zero));
}
