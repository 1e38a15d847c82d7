namespace Benefit.Recommender.Features;

/// <summary>The index of every patient and intervention id the model was trained on; unknown ids map to -1 (a zero vector).</summary>
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

    /// <summary>Zero-based index, or -1 for an id the model has never seen (cold start).</summary>
    public int PatientIndex(string id) => _patients.GetValueOrDefault(id, -1);

    public int InterventionIndex(string id) => _interventions.GetValueOrDefault(id, -1);

    private static Dictionary<string, int> Index(IReadOnlyList<string> ids)
    {
        var map = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
            map[ids[i]] = i;
        return map;
    }
}
