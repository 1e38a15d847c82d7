namespace Benefit.Recommender.Training;

/// <summary>Hyperparameters and seeds of one training run; all of it is written to the model card. Defaults from a small sweep (data/README).</summary>
public sealed record TrainingOptions
{
    public int Seed { get; init; } = 42;
    public int LatentDimension { get; init; } = 8;
    /// <summary>Passes over the training rows; null lets <see cref="EpochsFor"/> pick them from the size of the data.</summary>
    public int? Epochs { get; init; }
    public float LearningRate { get; init; } = 0.02f;
    public float LambdaLinear { get; init; } = 0.0001f;
    public float LambdaLatent { get; init; } = 0.0001f;
    /// <summary>ML.NET's whole-row unit length; off by default because it silenced the identity fields (see <see cref="FieldLength"/>).</summary>
    public bool NormalizeFeatures { get; init; } = false;
    /// <summary>Our per-field scaling: context and attribute vectors each scaled to this length, identities left at 1 (null: raw values).</summary>
    public float? FieldLength { get; init; } = 1f;
    /// <summary>False trains and scores without the patient and intervention identity fields (the ablation in every card).</summary>
    public bool IdentityFields { get; init; } = true;
    /// <summary>Share of rows also trained as a copy without the patient id, so new patients rank as well as with a context-only model.</summary>
    public double IdentityDropout { get; init; } = 1;
    /// <summary>Also train the same FFM without identity fields and report it beside the model, to show what the identities add.</summary>
    public bool IdentityAblation { get; init; } = true;
    /// <summary>Never-shown interventions sampled per patient as extra negatives (after the shown-and-not-kept-up ones).</summary>
    public int SampledNegativesPerPatient { get; init; } = 4;
    public int HoldoutWeeks { get; init; } = 6;
    /// <summary>
    /// Automatic epochs: 20 on small data (the sweep's choice), fewer on large data, for about 7 million row visits in all and
    /// never fewer than 4. Measured on 1 M interactions, holdout quality stops improving after ~8 epochs (data/README).
    /// </summary>
    public int EpochsFor(int trainingRows) =>
        Epochs ?? Math.Clamp((int)Math.Ceiling(AutomaticRowVisits / Math.Max(1, trainingRows)), MinimumAutomaticEpochs, MaximumAutomaticEpochs);

    private const double AutomaticRowVisits = 7_000_000;
    private const int MinimumAutomaticEpochs = 4, MaximumAutomaticEpochs = 20;

    /// <summary>The LightGBM LambdaRank baseline trains on a seeded sample of at most this many patients (0: all); it is a yardstick, not the served model.</summary>
    public int BaselinePatients { get; init; } = 20_000;
    /// <summary>Boosting rounds of the LightGBM baseline.</summary>
    public int BaselineIterations { get; init; } = 50;
}
