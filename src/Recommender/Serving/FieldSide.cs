namespace Benefit.Recommender.Serving;

/// <summary>
/// The precomputed half of an FFM response that depends on one side only (the patient's two fields, or the intervention's two):
/// its linear sum, squared norm, within-side latent terms, and q_{f,f'} for its fields against every field.
/// </summary>
public sealed class FieldSide
{
    private readonly float[] _q;
    private readonly int _fieldCount;
    private readonly int _dimension;

    public FieldSide(FfmWeights w, int fieldA, int fieldB, IReadOnlyList<FfmFeature> features)
    {
        _fieldCount = w.FieldCount;
        _dimension = w.LatentDimension;
        FieldA = fieldA;
        FieldB = fieldB;
        Features = features;
        _q = new float[2 * _fieldCount * _dimension];
        double linear = 0, norm = 0, self = 0;
        foreach (var x in features)
        {
            linear += w.Linear(x.Index) * x.Value;
            norm += x.Value * x.Value;
            var own = w.Latent(x.Index, x.Field);
            self += FfmWeights.Dot(own, own) * x.Value * x.Value;
            var slot = x.Field == fieldA ? 0 : 1;
            for (var f2 = 0; f2 < _fieldCount; f2++)
            {
                var v = w.Latent(x.Index, f2);
                var q = Q(slot, f2);
                for (var k = 0; k < _dimension; k++) q[k] += v[k] * x.Value;
            }
        }
        LinearSum = linear;
        SquaredNorm = norm;
        Within = FfmWeights.Dot(Q(0, fieldB), Q(1, fieldA))
            + 0.5 * (FfmWeights.Dot(Q(0, fieldA), Q(0, fieldA)) + FfmWeights.Dot(Q(1, fieldB), Q(1, fieldB)) - self);
    }

    public int FieldA { get; }
    public int FieldB { get; }
    public IReadOnlyList<FfmFeature> Features { get; }
    public double LinearSum { get; }
    public double SquaredNorm { get; }
    public double Within { get; }

    private Span<float> Q(int slot, int otherField) => _q.AsSpan((slot * _fieldCount + otherField) * _dimension, _dimension);

    /// <summary>The FFM response for this side combined with the other side: a handful of short dot products.</summary>
    public float Combine(FieldSide other, bool normalize)
    {
        var cross = FfmWeights.Dot(Q(0, other.FieldA), other.Q(0, FieldA)) + FfmWeights.Dot(Q(0, other.FieldB), other.Q(1, FieldA))
            + FfmWeights.Dot(Q(1, other.FieldA), other.Q(0, FieldB)) + FfmWeights.Dot(Q(1, other.FieldB), other.Q(1, FieldB));
        var norm = SquaredNorm + other.SquaredNorm;
        var scale = normalize && norm > 0 ? 1 / Math.Sqrt(norm) : 1;
        return (float)(scale * (LinearSum + other.LinearSum) + scale * scale * (Within + other.Within + cross));
    }
}
