using Benefit.Recommender.Catalog;
using Benefit.Recommender.Features;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Evaluation;

/// <summary>Anything that scores the catalogue for one patient at one moment; baselines and the FFM share it.</summary>
public interface IScorer
{
    string Name { get; }
    float[] Score(TrainingExample patientAtTime, IReadOnlyList<Intervention> items);

    /// <summary>Many patients at once; scorers with a per-call overhead (LightGBM's data views) batch this.</summary>
    IEnumerable<float[]> ScoreMany(IEnumerable<TrainingExample> patients, IReadOnlyList<Intervention> items) =>
        patients.Select(p => Score(p, items));
}

public sealed class FfmScorer(ModelSnapshot model, string name = "FFM") : IScorer
{
    public const string WithoutIdentity = "FFM without identity fields";

    public string Name => name;

    public float[] Score(TrainingExample p, IReadOnlyList<Intervention> items)
    {
        var side = model.Patient(p.PatientId, p.Context);
        return [.. items.Select(i => model.Score(side, i))];
    }
}

/// <summary>How often each intervention was kept up in training: the non-personalised baseline.</summary>
public sealed class PopularityScorer(IEnumerable<TrainingExample> train) : IScorer
{
    private readonly Dictionary<string, int> _kept = train.Where(r => r.Label).GroupBy(r => r.InterventionId)
        .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public string Name => "Popularity";

    public float[] Score(TrainingExample p, IReadOnlyList<Intervention> items) => [.. items.Select(i => (float)_kept.GetValueOrDefault(i.Id))];
}

/// <summary>Guideline rules: interventions whose targets match out-of-range measurements first, popularity breaks ties.</summary>
public sealed class GuidelineScorer(PopularityScorer popularity) : IScorer
{
    private static readonly (string Flag, RiskTarget Target)[] Flags =
    [
        ("BP above target", RiskTarget.BloodPressure), ("LDL above target", RiskTarget.Ldl), ("HbA1c above target", RiskTarget.Glucose),
        ("BMI ≥ 30", RiskTarget.Weight), ("smoker", RiskTarget.Smoking), ("inactive", RiskTarget.Inactivity), ("low mood", RiskTarget.Mood),
        ("anxiety", RiskTarget.Stress), ("stress", RiskTarget.Stress), ("alcohol", RiskTarget.Alcohol),
    ];

    private static readonly (int Index, RiskTarget Target)[] Indexed =
        [.. Flags.Select(f => (Array.IndexOf(ContextFeatures.Names, f.Flag), f.Target))];

    public string Name => "Guideline rules";

    public float[] Score(TrainingExample p, IReadOnlyList<Intervention> items)
    {
        var needs = Indexed.Where(f => p.Context[f.Index] > 0).Select(f => f.Target).ToHashSet();
        var pop = popularity.Score(p, items);
        var max = Math.Max(1, pop.Max());
        return [.. items.Select((item, n) => item.Targets.Count(needs.Contains) + pop[n] / max * 0.5f)];
    }
}
