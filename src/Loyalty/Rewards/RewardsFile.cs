using System.Text.Json;

namespace Benefit.Loyalty.Rewards;

/// <summary>Reads the reward catalogue (data/rewards.json).</summary>
public static class RewardsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyList<Reward> Parse(string json)
    {
        var rewards = JsonSerializer.Deserialize<List<Reward>>(json, Json) ?? [];
        var problems = rewards.Where(r => r.PointCost <= 0 || r.InitialStock < 0).Select(r => r.Id)
            .Concat(rewards.GroupBy(r => r.Id).Where(g => g.Count() > 1).Select(g => g.Key + " (duplicate id)"))
            .ToList();
        return problems.Count == 0 ? rewards : throw new InvalidDataException("Invalid rewards: " + string.Join(", ", problems));
    }

    public static async Task<IReadOnlyList<Reward>> LoadAsync(string path, CancellationToken ct = default) =>
        Parse(await File.ReadAllTextAsync(path, ct));
}
