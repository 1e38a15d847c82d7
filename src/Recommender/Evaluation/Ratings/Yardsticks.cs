namespace Benefit.Recommender.Evaluation;

/// <summary>How many users rated each item in training: the non-personalised yardstick.</summary>
public sealed class PopularityRanker(RatingsMatrix m) : IRatingsRanker
{
    private readonly float[] _counts = [.. m.ItemUsers.Select(u => (float)u.Length)];

    public string Name => "Popularity";

    public void Score(int user, float[] scores) => _counts.CopyTo(scores, 0);
}

/// <summary>
/// Item-to-item rankers: score(u, i) = Σ_j a(u, j) · s(j, i) over the items j the user rated, with s from the co-occurrence counts
/// c(i, j) (users who rated both). The whole user × item score matrix is built item by item, so the similarity matrix never
/// has to be held (ml-latest-small's 9,000 × 9,000 floats would take 330 MB).
/// </summary>
public sealed class CooccurrenceRanker : IRatingsRanker
{
    private readonly float[][] _scores;

    /// <param name="affinity">how much one rating (value, timestamp, the user's latest timestamp) counts: the affinity matrix</param>
    /// <param name="similarity">s(i, j) from c(i, j), c(i), c(j)</param>
    private CooccurrenceRanker(string name, RatingsMatrix m, Func<float, long, long, float> affinity, Func<int, int, int, float> similarity)
    {
        Name = name;
        var itemCount = m.Items.Length;
        _scores = [.. m.Users.Select(_ => new float[itemCount])];
        var userItems = m.UserRatings.Select(r => r.Select(x => x.Item).Distinct().ToArray()).ToArray();
        var affinities = m.UserRatings.Select(r => r.GroupBy(x => x.Item)
            .ToDictionary(g => g.Key, g => g.Sum(x => affinity(x.Value, x.Timestamp, r.Max(y => y.Timestamp))))).ToArray();
        var co = new int[itemCount];
        var touched = new List<int>();
        var sims = new float[itemCount];
        for (var j = 0; j < itemCount; j++)
        {
            touched.Clear();
            foreach (var v in m.ItemUsers[j])
                foreach (var i in userItems[v])
                    if (co[i]++ == 0) touched.Add(i);
            foreach (var i in touched)
                sims[i] = similarity(co[i], m.ItemUsers[j].Length, m.ItemUsers[i].Length);
            foreach (var u in m.ItemUsers[j])
            {
                var a = affinities[u][j];
                var row = _scores[u];
                foreach (var i in touched) row[i] += a * sims[i];
            }
            foreach (var i in touched) co[i] = 0;
        }
    }

    public string Name { get; }

    /// <summary>Plain item-kNN: binary affinities, cosine similarity c(i,j)/√(c(i)c(j)) over all neighbours (parameter-free).</summary>
    public static CooccurrenceRanker ItemKnn(RatingsMatrix m) =>
        new("Item-kNN (cosine)", m, (_, _, _) => 1, (both, ci, cj) => (float)(both / Math.Sqrt((double)ci * cj)));

    /// <summary>
    /// SAR as in Microsoft Recommenders: affinity = rating · 2^(−age / half-life); Jaccard similarity c(i,j)/(c(i)+c(j)−c(i,j));
    /// score = affinity × similarity. The age is measured from the user's own latest rating, not the data's: that only multiplies
    /// a user's scores by a constant (same ranking), and ml-latest-small spans 22 years, so a global reference underflows to 0.
    /// </summary>
    public static CooccurrenceRanker Sar(RatingsMatrix m, double halfLifeDays) =>
        new("SAR (Jaccard, time decay)", m, (value, t, latest) => (float)(value * Math.Pow(2, -(latest - t) / (halfLifeDays * 86400))),
            (both, ci, cj) => (float)both / (ci + cj - both));

    public void Score(int user, float[] scores)
    {
        if (user >= 0) _scores[user].CopyTo(scores, 0);
        else Array.Clear(scores);
    }
}
