using Benefit.Recommender.Serving;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Benefit.Recommender.Evaluation;

/// <summary>The id-only FFM's settings on ratings; the card of a ratings run prints them.</summary>
public sealed record RatingsFfmSettings
{
    public int Seed { get; init; } = 42;
    /// <summary>A multiple of 8 (ML.NET's AVX kernels skip a remainder).</summary>
    public int LatentDimension { get; init; } = 16;
    /// <summary>Passes; with a validation split, the most passes, stopped early when validation nDCG stops improving.</summary>
    public int Epochs { get; init; } = 10;
    public int NegativesPerPositive { get; init; } = 2;
    /// <summary>"uniform" over the training items, or "popularity": in proportion to how many users rated the item.</summary>
    public string Sampling { get; init; } = "uniform";
    public float LearningRate { get; init; } = 0.1f;
    public float Lambda { get; init; } = 0.0001f;
    /// <summary>
    /// 0: two fields (user, item). Otherwise a third field holds the user's other rated items (a seeded sample of at most this
    /// many per row, as their mean), so item × history latent pairs learn item-to-item similarity, as in SVD++ and FISM.
    /// </summary>
    public int History { get; init; }

    public override string ToString() =>
        $"latent {LatentDimension}, {Epochs} epochs, {NegativesPerPositive} {Sampling} negatives per rating, learning rate {LearningRate}, L2 {Lambda}"
        + (History > 0 ? $", history field (≤ {History} items a row)" : ", ids only");
}

/// <summary>
/// Two fields (user, item) make ML.NET's FFM a logistic matrix factorization with biases. Rated = positive; negatives are sampled
/// afresh every epoch (training continues from the previous epoch's weights), so over many epochs the model sees many different
/// unrated items instead of the same few.
/// </summary>
public static class RatingsFfm
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public uint User { get; set; }
        public uint Item { get; set; }
        public VBuffer<float> History { get; set; }
    }

    /// <summary>Trains for <see cref="RatingsFfmSettings.Epochs"/>, or, given a validation score, keeps the best epoch (patience 2).</summary>
    public static (IRatingsRanker Ranker, int Epochs, double Validation) Train(RatingsMatrix m, RatingsFfmSettings s,
        Func<IRatingsRanker, double>? validate = null)
    {
        if (s.LatentDimension <= 0 || s.LatentDimension % 8 != 0) throw new ArgumentException("latent dimension must be a positive multiple of 8");
        var ml = new MLContext(s.Seed);
        var rng = new Random(s.Seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.User)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, m.Users.Length));
        schema[nameof(Row.Item)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, m.Items.Length));
        schema[nameof(Row.History)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Math.Max(1, m.Items.Length));
        var oneHot = ml.Transforms.Conversion.MapKeyToVector("UserField", nameof(Row.User))
            .Append(ml.Transforms.Conversion.MapKeyToVector("ItemField", nameof(Row.Item)));
        var trainer = ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(new FieldAwareFactorizationMachineTrainer.Options
        {
            FeatureColumnName = "UserField", ExtraFeatureColumns = s.History > 0 ? ["ItemField", nameof(Row.History)] : ["ItemField"],
            LabelColumnName = nameof(Row.Label),
            LatentDimension = s.LatentDimension, NumberOfIterations = 1, Shuffle = true, LearningRate = s.LearningRate,
            LambdaLinear = s.Lambda, LambdaLatent = s.Lambda, NormalizeFeatures = false,
        });
        var sampler = new NegativeSampler(m, s.Sampling);
        FieldAwareFactorizationMachineModelParameters? current = null;
        (IRatingsRanker Ranker, int Epochs, double Validation) best = (null!, 0, double.NegativeInfinity);
        for (var epoch = 1; epoch <= s.Epochs; epoch++)
        {
            var rows = ml.Data.LoadFromEnumerable(Rows(m, s, sampler, rng), schema);
            // Cached so the trainer can shuffle (a streaming view cannot, and Shuffle is then silently ignored).
            var data = oneHot.Fit(rows).Transform(ml.Data.Cache(rows));
            current = trainer.Fit(data, null, current).Model;
            var ranker = new Ranker(m, new FfmWeights(current, normalize: false), s.History > 0);
            if (validate is null) { best = (ranker, epoch, double.NaN); continue; }
            var score = validate(ranker);
            if (score > best.Validation) best = (ranker, epoch, score);
            else if (epoch - best.Epochs >= 2) break;
        }
        return best;
    }

    private static List<Row> Rows(RatingsMatrix m, RatingsFfmSettings s, NegativeSampler sampler, Random rng)
    {
        var rows = new List<Row>();
        var none = new VBuffer<float>(Math.Max(1, m.Items.Length), 0, [], []);
        for (var u = 0; u < m.Users.Length; u++)
        {
            var items = m.UserRatings[u].Select(r => r.Item).Distinct().ToArray();
            var rated = items.ToHashSet();
            foreach (var item in items)
            {
                rows.Add(new Row { Label = true, User = (uint)u, Item = (uint)item, History = s.History > 0 ? History(m, items, item, s.History, rng) : none });
                for (var k = 0; k < s.NegativesPerPositive; k++)
                    if (sampler.Next(rng, rated) is { } negative)
                        rows.Add(new Row { Label = false, User = (uint)u, Item = (uint)negative, History = s.History > 0 ? History(m, items, -1, s.History, rng) : none });
            }
        }
        return rows;
    }

    /// <summary>The mean of a seeded sample of the user's other items (never the row's own item, which would teach "an item is like itself").</summary>
    private static VBuffer<float> History(RatingsMatrix m, int[] items, int exclude, int cap, Random rng)
    {
        var pool = items.Where(i => i != exclude).ToArray();
        var n = Math.Min(cap, pool.Length);
        for (var k = 0; k < n; k++)
        {
            var j = rng.Next(k, pool.Length);
            (pool[k], pool[j]) = (pool[j], pool[k]);
        }
        var indices = pool[..n];
        Array.Sort(indices);
        return new VBuffer<float>(m.Items.Length, n, [.. indices.Select(_ => 1f / n)], indices);
    }

    /// <summary>
    /// Response = w_u + w_i + ⟨v_u→item field, v_i→user field⟩ + ⟨v_i→history field, mean over the user's items of v_j→item field⟩
    /// + terms without the item; those are the same for all of a user's items and left out.
    /// </summary>
    private sealed class Ranker(RatingsMatrix m, FfmWeights w, bool history) : IRatingsRanker
    {
        public string Name => "FFM";

        public void Score(int user, float[] scores)
        {
            int users = m.Users.Length, items = m.Items.Length;
            var q = new float[w.LatentDimension];
            if (history && user >= 0)
            {
                var rated = m.UserRatings[user].Select(r => r.Item).Distinct().ToArray();
                foreach (var j in rated)
                {
                    var v = w.Latent(users + items + j, 1);
                    for (var k = 0; k < q.Length; k++) q[k] += v[k] / rated.Length;
                }
            }
            for (var i = 0; i < scores.Length; i++)
            {
                var index = users + i;
                scores[i] = w.Linear(index) + (user >= 0 ? FfmWeights.Dot(w.Latent(user, 1), w.Latent(index, 0)) : 0)
                    + (history ? FfmWeights.Dot(w.Latent(index, 2), q) : 0);
            }
        }
    }

    /// <summary>Draws an item the user has not rated, uniformly or in proportion to popularity; null after a few misses.</summary>
    private sealed class NegativeSampler(RatingsMatrix m, string sampling)
    {
        private readonly double[] _cumulative = sampling == "popularity" ? Cumulative(m) : [];

        public int? Next(Random rng, HashSet<int> rated)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var item = _cumulative.Length == 0 ? rng.Next(m.Items.Length) : Pick(rng.NextDouble() * _cumulative[^1]);
                if (!rated.Contains(item)) return item;
            }
            return null;
        }

        private int Pick(double x)
        {
            var i = Array.BinarySearch(_cumulative, x);
            return Math.Min(_cumulative.Length - 1, i >= 0 ? i : ~i);
        }

        private static double[] Cumulative(RatingsMatrix m)
        {
            var c = new double[m.Items.Length];
            for (var i = 0; i < c.Length; i++) c[i] = (i == 0 ? 0 : c[i - 1]) + m.ItemUsers[i].Length;
            return c;
        }
    }
}
