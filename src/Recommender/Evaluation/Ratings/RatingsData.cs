using System.Globalization;

namespace Benefit.Recommender.Evaluation;

public sealed record Rating(string User, string Item, float Value, long Timestamp);

public sealed record RatingsOptions
{
    public int Seed { get; init; } = 42;
    public double TrainRatio { get; init; } = 0.75;
    /// <summary>"user" (python_stratified_split's default, the Microsoft Recommenders protocol) or "item".</summary>
    public string StratifyBy { get; init; } = "user";
    public int K { get; init; } = 10;
    /// <summary>SAR's time-decay half-life (Recommenders' SAR examples use 30 days).</summary>
    public double SarHalfLifeDays { get; init; } = 30;
    public RatingsFfmSettings Ffm { get; init; } = new();
    /// <summary>Choose the FFM settings on a validation split carved from the training ratings (never the test ratings).</summary>
    public bool Tune { get; init; }
    /// <summary>FFM seeds for the mean ± sd of the final model (the split stays at <see cref="Seed"/>).</summary>
    public int Repeats { get; init; } = 1;
}

/// <summary>Reading ratings and the stratified split of Microsoft Recommenders' python_stratified_split.</summary>
public static class RatingsData
{
    public static List<Rating> Read(string path) =>
        [.. File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(c => new Rating(c[0], c[1], float.Parse(c[2], CultureInfo.InvariantCulture), long.Parse(c[3], CultureInfo.InvariantCulture)))];

    /// <summary>
    /// Within each user (or item), rows are shuffled with the seed and ranked 1..count; a row trains when rank ≤ ratio × count
    /// (the floor rule of python_stratified_split), so a user with 10 ratings keeps 7 for training and 3 for test. The shuffle is
    /// .NET's seeded Random, not numpy's, so the split has the same sizes but not the same rows as the Python one.
    /// </summary>
    public static (List<Rating> Train, List<Rating> Test) Split(IReadOnlyList<Rating> ratings, string stratifyBy, double ratio, int seed)
    {
        var rng = new Random(seed);
        List<Rating> train = [], test = [];
        foreach (var group in ratings.GroupBy(r => stratifyBy == "item" ? r.Item : r.User).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.ToArray();
            rng.Shuffle(rows);
            for (var rank = 1; rank <= rows.Length; rank++)
                (rank <= ratio * rows.Length ? train : test).Add(rows[rank - 1]);
        }
        return (train, test);
    }
}
