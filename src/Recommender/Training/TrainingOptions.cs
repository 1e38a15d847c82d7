namespace Benefit.Recommender.Training;

/// <summary>Hyperparameters and seeds of one training run; all of it is written to the model card. Defaults from a small sweep (data/README).</summary>
public sealed record TrainingOptions
{
    public int Seed { get; init; } = 42;
    public int LatentDimension { get; init; } = 8;
    public int Epochs { get; init; } = 20;
    public float LearningRate { get; init; } = 0.02f;
    public float LambdaLinear { get; init; } = 0.0001f;
    public float LambdaLatent { get; init; } = 0.0001f;
    public bool NormalizeFeatures { get; init; } = true;
    /// <summary>Never-shown interventions sampled per patient as extra negatives (after the shown-and-not-kept-up ones).</summary>
    public int SampledNegativesPerPatient { get; init; } = 4;
    public int HoldoutWeeks { get; init; } = 6;
}
