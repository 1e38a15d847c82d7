namespace Benefit.Loyalty.Rewards;

/// <summary>A healthy product, discount or small gift a patient can redeem points for (one entry of data/rewards.json).</summary>
public sealed record Reward
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string Category { get; init; }
    /// <summary>Points it costs; points are whole numbers.</summary>
    public required int PointCost { get; init; }
    /// <summary>Units available when the catalogue is first seeded.</summary>
    public required int InitialStock { get; init; }
    public required string Partner { get; init; }
}
