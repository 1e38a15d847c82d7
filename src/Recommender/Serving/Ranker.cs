namespace Benefit.Recommender.Serving;

/// <summary>
/// Holds the model that serves right now. A swap replaces one reference atomically; callers read <see cref="Current"/>
/// once per request and use that snapshot throughout, so no response mixes two versions.
/// </summary>
public sealed class Ranker(ModelSnapshot initial)
{
    private ModelSnapshot _current = initial;

    public ModelSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Serves <paramref name="next"/> from now on and returns the snapshot it replaced (for rollback).</summary>
    public ModelSnapshot Swap(ModelSnapshot next) => Interlocked.Exchange(ref _current, next);
}
