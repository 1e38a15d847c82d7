using Microsoft.ML.Trainers;

namespace Benefit.Recommender.Serving;

/// <summary>A feature as the FFM sees it: which field, which global index, which value.</summary>
public readonly record struct FfmFeature(int Field, int Index, float Value);

/// <summary>
/// The learned FFM weights, copied out of ML.NET so scoring needs no PredictionEngine (thread-safe, allocation-light).
/// Response = Σ w_j x_j + Σ_{f&lt;f'} ⟨q_{f,f'}, q_{f',f}⟩ + ½ Σ_f (|q_{f,f}|² − Σ_{i∈f} |v_{j_i,f}|² x_i²), with q_{f,f'} = Σ_{i∈f} v_{j_i,f'} x_i
/// and x scaled to unit length when the model normalises — the same sum ML.NET's native kernel computes.
/// </summary>
public sealed class FfmWeights
{
    private readonly float[] _linear;
    private readonly float[] _latent;

    public FfmWeights(FieldAwareFactorizationMachineModelParameters p, bool normalize)
    {
        FieldCount = p.FieldCount;
        FeatureCount = p.FeatureCount;
        LatentDimension = p.LatentDimension;
        Normalize = normalize;
        _linear = [.. p.GetLinearWeights()];
        _latent = [.. p.GetLatentWeights()];
    }

    public int FieldCount { get; }
    public int FeatureCount { get; }
    public int LatentDimension { get; }
    public bool Normalize { get; }

    public float Linear(int index) => _linear[index];

    /// <summary>v_{j,f}: feature j's latent vector used against field f.</summary>
    public ReadOnlySpan<float> Latent(int feature, int field) =>
        _latent.AsSpan((feature * FieldCount + field) * LatentDimension, LatentDimension);

    /// <summary>The straightforward response for any set of features; used for explanations and as the reference in tests.</summary>
    public float Score(ReadOnlySpan<FfmFeature> features)
    {
        int m = FieldCount, d = LatentDimension;
        var norm = 0.0;
        foreach (var x in features) norm += x.Value * x.Value;
        var scale = Normalize && norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 1f;
        var q = new float[m * m * d];
        double linear = 0, self = 0;
        foreach (var x in features)
        {
            var value = x.Value * scale;
            linear += _linear[x.Index] * value;
            var own = Latent(x.Index, x.Field);
            for (var k = 0; k < d; k++) self += own[k] * own[k] * value * value;
            for (var f2 = 0; f2 < m; f2++)
            {
                var v = Latent(x.Index, f2);
                var target = q.AsSpan((x.Field * m + f2) * d, d);
                for (var k = 0; k < d; k++) target[k] += v[k] * value;
            }
        }
        double latent = -0.5 * self;
        for (var f = 0; f < m; f++)
        {
            latent += 0.5 * Dot(q.AsSpan((f * m + f) * d, d), q.AsSpan((f * m + f) * d, d));
            for (var f2 = f + 1; f2 < m; f2++)
                latent += Dot(q.AsSpan((f * m + f2) * d, d), q.AsSpan((f2 * m + f) * d, d));
        }
        return (float)(linear + latent);
    }

    /// <summary>A plain loop: latent vectors are 8–32 floats, too short for a library call's set-up to pay off.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var k = 0; k < a.Length; k++) sum += a[k] * b[k];
        return sum;
    }
}
