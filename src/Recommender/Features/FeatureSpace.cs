namespace Benefit.Recommender.Features;

/// <summary>
/// The index of every patient and intervention id the model was trained on (unknown ids map to -1, a zero vector), and how
/// feature values are scaled before the FFM sees them. Training and serving both scale through this class, so they agree.
/// </summary>
public sealed class FeatureSpace
{
    private readonly Dictionary<string, int> _patients;
    private readonly Dictionary<string, int> _interventions;

    public FeatureSpace(IReadOnlyList<string> patientIds, IReadOnlyList<string> interventionIds)
    {
        PatientIds = patientIds;
        InterventionIds = interventionIds;
        _patients = Index(patientIds);
        _interventions = Index(interventionIds);
    }

    public IReadOnlyList<string> PatientIds { get; }
    public IReadOnlyList<string> InterventionIds { get; }
    public int ContextLength { get; init; } = ContextFeatures.Length;
    public int AttributeLength { get; init; } = AttributeFeatures.Length;
    /// <summary>Whether the FFM scaled each row to unit length (ML.NET keeps this flag private, so it travels here).</summary>
    public bool Normalized { get; init; } = true;
    /// <summary>
    /// Our own per-field scaling (null: none): the context and attribute vectors are each scaled to this L2 length, while the
    /// one-hot identities keep value 1. ML.NET's whole-row normalisation shrinks the identities by the ≈ 20 context features
    /// they share a row with, and the identity × identity term by the square of that, so the factorization learned nothing.
    /// </summary>
    public float? FieldLength { get; init; }
    /// <summary>False for the identity ablation: every id is treated as unseen, in training and in scoring.</summary>
    public bool Identity { get; init; } = true;

    /// <summary>Zero-based index, or -1 for an id the model has never seen (cold start).</summary>
    public int PatientIndex(string id) => Identity ? _patients.GetValueOrDefault(id, -1) : -1;

    public int InterventionIndex(string id) => Identity ? _interventions.GetValueOrDefault(id, -1) : -1;

    /// <summary>The context or attribute vector as the FFM sees it; the input is not changed.</summary>
    public float[] Scale(float[] values)
    {
        if (FieldLength is not { } length) return values;
        var norm = 0.0;
        foreach (var x in values) norm += x * x;
        if (norm == 0) return values;
        var factor = (float)(length / Math.Sqrt(norm));
        var scaled = new float[values.Length];
        for (var k = 0; k < values.Length; k++) scaled[k] = values[k] * factor;
        return scaled;
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> ids)
    {
        var map = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
            map[ids[i]] = i;
        return map;
    }
}
