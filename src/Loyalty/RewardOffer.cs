namespace Benefit.Loyalty;

public sealed record RewardOffer(string Id, string Name, string Description, string Category, string Partner, int PointCost, int Stock);
