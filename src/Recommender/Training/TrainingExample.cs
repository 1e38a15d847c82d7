using Benefit.Recommender.Cohort;
using Benefit.Recommender.Features;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Training;

/// <summary>The subgroup a patient belongs to for fairness reporting.</summary>
public sealed record Subgroup(string SocioEconomicBand, string Sex, string AgeBand);

/// <summary>One compact training or test row: ids, label, the encoded context as of that moment, and the subgroup.</summary>
public sealed record TrainingExample(
    string PatientId, string InterventionId, DateTimeOffset Timestamp, bool Label, bool Shown, float[] Context, Subgroup Group)
{
    /// <summary>Train this row as if the intervention were new (attributes only): the identity-dropout copies set it.</summary>
    public bool WithoutInterventionIdentity { get; init; }

    /// <summary>For a row from the service's own logs: the served list, the item's propensity and the context it was served in (for off-policy evaluation).</summary>
    public string? ListId { get; init; }
    public double Propensity { get; init; } = 1;
    public PatientContext? ServedContext { get; init; }
    public Serving.ServedCandidates? ServedCandidates { get; init; }

    public static TrainingExample From(Interaction i) => new(
        i.PatientId, i.InterventionId, i.Timestamp, i.KeptUp, Shown: true, ContextFeatures.Encode(i.Context),
        new Subgroup(i.Context.SocioEconomicBand, i.Context.Sex, i.Context.AgeBand));

    public static TrainingExample For(PatientContext p, string interventionId, DateTimeOffset when, bool label = false) => new(
        p.PatientId, interventionId, when, label, Shown: false, ContextFeatures.Encode(p),
        new Subgroup(p.SocioEconomicBand, p.Sex, p.AgeBand));
}
