namespace Benefit.Loyalty.Rewards;

/// <summary>A reward as stored: catalogue facts plus the stock that redemptions change atomically.</summary>
public sealed class RewardItem
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public required string Category { get; set; }
    public required string Partner { get; set; }
    public int PointCost { get; set; }
    /// <summary>Units left; reservations take units, cancellations and expired reservations return them.</summary>
    public int Stock { get; set; }
}
