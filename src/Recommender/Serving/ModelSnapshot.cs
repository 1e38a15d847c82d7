using System.Collections.Concurrent;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Features;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Serving;

/// <summary>
/// One model version, immutable once built: weights, id index and version. Swapping models swaps the whole snapshot,
/// so a request that holds a snapshot can never mix two versions.
/// </summary>
public sealed class ModelSnapshot
{
    public const int PatientField = 0, InterventionField = 1, ContextField = 2, AttributeField = 3;

    // By reference: hashing a record would hash every string in it on every lookup.
    private readonly ConcurrentDictionary<Intervention, FieldSide> _items = new(ReferenceEqualityComparer.Instance);
    private readonly int _interventionOffset, _contextOffset, _attributeOffset;

    public ModelSnapshot(string version, FeatureSpace space, FfmWeights weights)
    {
        Version = version;
        Space = space;
        Weights = weights;
        _interventionOffset = space.PatientIds.Count;
        _contextOffset = _interventionOffset + space.InterventionIds.Count;
        _attributeOffset = _contextOffset + space.ContextLength;
        if (_attributeOffset + space.AttributeLength != weights.FeatureCount || weights.FieldCount != 4)
            throw new InvalidDataException($"model {version}: weights ({weights.FeatureCount} features, {weights.FieldCount} fields) do not match its feature space");
    }

    public string Version { get; }
    public FeatureSpace Space { get; }
    public FfmWeights Weights { get; }

    public static ModelSnapshot From(TrainedModel model, string version) =>
        new(version, model.Space, new FfmWeights(model.Parameters, model.Space.Normalized));

    public FieldSide Patient(PatientContext p) => Patient(p.PatientId, ContextFeatures.Encode(p));

    public FieldSide Patient(string patientId, float[] context)
    {
        context = Space.Scale(context);
        var features = new List<FfmFeature>(context.Length + 1);
        var index = Space.PatientIndex(patientId);
        if (index >= 0) features.Add(new FfmFeature(PatientField, index, 1));
        for (var k = 0; k < context.Length; k++)
            if (context[k] != 0) features.Add(new FfmFeature(ContextField, _contextOffset + k, context[k]));
        return new FieldSide(Weights, PatientField, ContextField, features);
    }

    /// <summary>Intervention sides are computed once per snapshot and intervention, then reused by every request.</summary>
    public FieldSide Intervention(Intervention item) => _items.GetOrAdd(item, i =>
    {
        var attributes = Space.Scale(AttributeFeatures.Encode(i));
        var features = new List<FfmFeature>(attributes.Length + 1);
        var index = Space.InterventionIndex(i.Id);
        if (index >= 0) features.Add(new FfmFeature(InterventionField, _interventionOffset + index, 1));
        for (var k = 0; k < attributes.Length; k++)
            if (attributes[k] != 0) features.Add(new FfmFeature(AttributeField, _attributeOffset + k, attributes[k]));
        return new FieldSide(Weights, InterventionField, AttributeField, features);
    });

    public float Score(FieldSide patient, Intervention item) => patient.Combine(Intervention(item), Weights.Normalize);

    public float[] Score(PatientContext p, IReadOnlyList<Intervention> items)
    {
        var side = Patient(p);
        var scores = new float[items.Count];
        for (var i = 0; i < items.Count; i++) scores[i] = Score(side, items[i]);
        return scores;
    }

    /// <summary>Score with one field left out: how much that field (identity, context, …) pushed this suggestion.</summary>
    public float ScoreWithout(FieldSide patient, Intervention item, int field)
    {
        var all = patient.Features.Concat(Intervention(item).Features).Where(f => f.Field != field).ToArray();
        return Weights.Score(all);
    }
}
