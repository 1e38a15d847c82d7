namespace Benefit.Recommender.Evaluation;

/// <summary>The training ratings indexed both ways; items are every item that has a training rating, in ordinal order.</summary>
public sealed class RatingsMatrix
{
    private readonly Dictionary<string, int> _users;

    public RatingsMatrix(IReadOnlyList<Rating> train)
    {
        Users = [.. train.Select(r => r.User).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Items = [.. train.Select(r => r.Item).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _users = Users.Select((u, n) => (u, n)).ToDictionary(x => x.u, x => x.n, StringComparer.Ordinal);
        var items = Items.Select((i, n) => (i, n)).ToDictionary(x => x.i, x => x.n, StringComparer.Ordinal);
        var byUser = Users.Select(_ => new List<(int, float, long)>()).ToArray();
        var byItem = Items.Select(_ => new List<int>()).ToArray();
        foreach (var r in train)
        {
            int u = _users[r.User], i = items[r.Item];
            byUser[u].Add((i, r.Value, r.Timestamp));
            byItem[i].Add(u);
        }
        UserRatings = [.. byUser.Select(l => l.ToArray())];
        ItemUsers = [.. byItem.Select(l => l.Distinct().ToArray())];
    }

    public string[] Users { get; }
    public string[] Items { get; }
    /// <summary>Per user: (item index, rating, timestamp).</summary>
    public (int Item, float Value, long Timestamp)[][] UserRatings { get; }
    /// <summary>Per item: the users who rated it.</summary>
    public int[][] ItemUsers { get; }

    /// <summary>-1 for a user with no training rating.</summary>
    public int UserIndex(string user) => _users.GetValueOrDefault(user, -1);
}

/// <summary>Scores every training item for one user; higher is better. Seen items are removed by the caller.</summary>
public interface IRatingsRanker
{
    string Name { get; }
    void Score(int user, float[] scores);
}
