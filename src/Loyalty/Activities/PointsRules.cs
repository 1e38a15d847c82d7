using System.Text.Json;
using System.Text.Json.Serialization;

namespace Benefit.Loyalty.Activities;

/// <summary>Points and caps for one activity category (per local day and ISO week).</summary>
public sealed record CategoryRule(int DailyCap, int WeeklyCap);

/// <summary>Base points for one activity type and the category whose caps it shares.</summary>
public sealed record ActivityRule(string Category, int Points, string Description);

/// <summary>One version of the earning rules; an award records the version that priced it.</summary>
public sealed record PointsRuleVersion
{
    public required string Version { get; init; }
    /// <summary>Applies to activities whose local date is on or after this day.</summary>
    public required DateOnly EffectiveFrom { get; init; }
    /// <summary>Reports of activities older than this many days earn nothing.</summary>
    public int MaxActivityAgeDays { get; init; } = 30;
    /// <summary>Tolerated clock difference for activities reported as happening in the future.</summary>
    public int MaxFutureSkewMinutes { get; init; } = 10;
    public required int YearlyCap { get; init; }
    public required Dictionary<string, CategoryRule> Categories { get; init; }
    public required Dictionary<string, ActivityRule> Activities { get; init; }
}

/// <summary>All versions of the earning rules (data/points-rules.json).</summary>
public sealed record PointsRules
{
    public required IReadOnlyList<PointsRuleVersion> Versions { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The version in force on a local date: the latest one that is already effective.</summary>
    public PointsRuleVersion? VersionFor(DateOnly localDate) =>
        Versions.Where(v => v.EffectiveFrom <= localDate).MaxBy(v => v.EffectiveFrom);

    public static PointsRules Parse(string json)
    {
        var rules = JsonSerializer.Deserialize<PointsRules>(json, Json) ?? throw new InvalidDataException("Points rules are empty.");
        var problems = rules.Validate();
        return problems.Count == 0 ? rules : throw new InvalidDataException("Invalid points rules: " + string.Join(" ", problems));
    }

    public static PointsRules Load(string path) => Parse(File.ReadAllText(path));

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Versions.Count == 0) problems.Add("At least one version is required.");
        if (Versions.Select(v => v.Version).Distinct().Count() != Versions.Count) problems.Add("Version names must be unique.");
        foreach (var v in Versions)
        {
            if (v.YearlyCap <= 0) problems.Add($"{v.Version}: yearlyCap must be positive.");
            foreach (var (type, rule) in v.Activities)
            {
                if (rule.Points <= 0) problems.Add($"{v.Version}/{type}: points must be positive.");
                if (!v.Categories.ContainsKey(rule.Category)) problems.Add($"{v.Version}/{type}: unknown category '{rule.Category}'.");
            }
            foreach (var (name, cat) in v.Categories)
                if (cat.DailyCap <= 0 || cat.WeeklyCap < cat.DailyCap) problems.Add($"{v.Version}/{name}: need 0 < dailyCap <= weeklyCap.");
        }
        return problems;
    }
}
