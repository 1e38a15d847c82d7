using System.Globalization;
using Benefit.Recommender.Serving;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Benefit.Recommender.Evaluation;

public sealed record Rating(string User, string Item, float Value, long Timestamp);

public sealed record TopKResult(string Name, double Ndcg, double Precision, double Recall, double Map, int Users);

public sealed record RatingsOptions
{
    public int Seed { get; init; } = 42;
    public double TrainRatio { get; init; } = 0.75;
    /// <summary>"item" (as the brief states the protocol) or "user" (python_stratified_split's default).</summary>
    public string StratifyBy { get; init; } = "item";
    public int K { get; init; } = 10;
    public int Epochs { get; init; } = 10;
    public int LatentDimension { get; init; } = 16;
    public int NegativesPerPositive { get; init; } = 2;
}

/// <summary>
/// The Microsoft Recommenders protocol on any user,item,rating,timestamp file: a seeded 75/25 split stratified per item (or user),
/// top-k over items the user has not rated in training, every test item relevant; popularity and an id-only FFM side by side.
/// </summary>
public static class RatingsEvaluation
{
    public static List<Rating> Read(string path) =>
        [.. File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(c => new Rating(c[0], c[1], float.Parse(c[2], CultureInfo.InvariantCulture), long.Parse(c[3], CultureInfo.InvariantCulture)))];

    public static (List<Rating> Train, List<Rating> Test) Split(IReadOnlyList<Rating> ratings, RatingsOptions options)
    {
        var rng = new Random(options.Seed);
        List<Rating> train = [], test = [];
        foreach (var group in ratings.GroupBy(r => options.StratifyBy == "user" ? r.User : r.Item).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.OrderBy(_ => rng.Next()).ToList();
            var cut = (int)Math.Round(rows.Count * options.TrainRatio);
            train.AddRange(rows.Take(cut));
            test.AddRange(rows.Skip(cut));
        }
        return (train, test);
    }

    public static IReadOnlyList<TopKResult> Run(IReadOnlyList<Rating> ratings, RatingsOptions options, Action<string>? step = null)
    {
        var (train, test) = Split(ratings, options);
        var items = train.Select(r => r.Item).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var popularity = train.GroupBy(r => r.Item).ToDictionary(g => g.Key, g => (float)g.Count(), StringComparer.Ordinal);
        step?.Invoke($"training the id-only FFM on {train.Count:N0} ratings");
        var ffm = TrainFfm(train, items, options);
        step?.Invoke("ranking unseen items for every test user");
        return
        [
            TopK("Popularity", train, test, items, options.K, (_, item) => popularity.GetValueOrDefault(item)),
            TopK("FFM (ids only)", train, test, items, options.K, ffm),
        ];
    }

    private static TopKResult TopK(string name, List<Rating> train, List<Rating> test, string[] items, int k, Func<string, string, float> score)
    {
        var seen = train.GroupBy(r => r.User).ToDictionary(g => g.Key, g => g.Select(r => r.Item).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var users = test.GroupBy(r => r.User).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        double ndcg = 0, precision = 0, recall = 0, map = 0;
        foreach (var user in users)
        {
            var relevant = user.Select(r => r.Item).ToHashSet(StringComparer.Ordinal);
            var exclude = seen.GetValueOrDefault(user.Key) ?? [];
            var top = items.Where(i => !exclude.Contains(i)).Select(i => (Item: i, Score: score(user.Key, i)))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Item, StringComparer.Ordinal).Take(k).Select(x => x.Item).ToList();
            ndcg += Metrics.NdcgAtK(top, relevant, k);
            precision += Metrics.PrecisionAtK(top, relevant, k);
            recall += Metrics.RecallAtK(top, relevant, k);
            map += Metrics.AveragePrecision(top, relevant, k);
        }
        var n = Math.Max(1, users.Count);
        return new TopKResult(name, ndcg / n, precision / n, recall / n, map / n, users.Count);
    }

    private sealed class Row
    {
        public bool Label { get; set; }
        public uint User { get; set; }
        public uint Item { get; set; }
    }

    /// <summary>Two fields (user, item) make the FFM a plain matrix factorization with biases; rated = positive, sampled unrated = negative.</summary>
    private static Func<string, string, float> TrainFfm(List<Rating> train, string[] items, RatingsOptions options)
    {
        var ml = new MLContext(options.Seed);
        var users = train.Select(r => r.User).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var userIndex = users.Select((u, n) => (u, n)).ToDictionary(x => x.u, x => (uint)x.n, StringComparer.Ordinal);
        var itemIndex = items.Select((i, n) => (i, n)).ToDictionary(x => x.i, x => (uint)x.n, StringComparer.Ordinal);
        var rng = new Random(options.Seed);
        var rated = train.Select(r => (r.User, r.Item)).ToHashSet();
        var rows = new List<Row>(train.Count * (1 + options.NegativesPerPositive));
        foreach (var r in train)
        {
            rows.Add(new Row { Label = true, User = userIndex[r.User], Item = itemIndex[r.Item] });
            for (var k = 0; k < options.NegativesPerPositive; k++)
            {
                var item = items[rng.Next(items.Length)];
                if (!rated.Contains((r.User, item))) rows.Add(new Row { Label = false, User = userIndex[r.User], Item = itemIndex[item] });
            }
        }
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.User)].ColumnType = new KeyDataViewType(typeof(uint), users.Length);
        schema[nameof(Row.Item)].ColumnType = new KeyDataViewType(typeof(uint), items.Length);
        var pipeline = ml.Transforms.Conversion.MapKeyToVector("UserField", nameof(Row.User))
            .Append(ml.Transforms.Conversion.MapKeyToVector("ItemField", nameof(Row.Item)))
            .Append(ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(new FieldAwareFactorizationMachineTrainer.Options
            {
                FeatureColumnName = "UserField", ExtraFeatureColumns = ["ItemField"], LabelColumnName = nameof(Row.Label),
                LatentDimension = options.LatentDimension, NumberOfIterations = options.Epochs, Shuffle = true,
            }));
        // Cached, so the trainer can shuffle (a streaming view from LoadFromEnumerable cannot, and Shuffle is then ignored).
        var model = pipeline.Fit(ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema)));
        var weights = new FfmWeights(((FieldAwareFactorizationMachinePredictionTransformer)model.LastTransformer).Model, normalize: true);
        var offset = users.Length;
        // Two one-hot features of value 1/√2 after normalisation: the response reduces to this closed form.
        return (user, item) =>
        {
            if (!itemIndex.TryGetValue(item, out var i)) return float.MinValue;
            var j = offset + (int)i;
            if (!userIndex.TryGetValue(user, out var u)) return weights.Linear(j);
            return (weights.Linear((int)u) + weights.Linear(j)) / MathF.Sqrt(2) + 0.5f * FfmWeights.Dot(weights.Latent((int)u, 1), weights.Latent(j, 0));
        };
    }
}
