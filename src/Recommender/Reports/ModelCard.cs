using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Reports;

public sealed record CalibrationPoint(double Predicted, double Observed, int Count);

/// <summary>card.json: what a human needs to judge, compare and reproduce one model version.</summary>
public sealed record ModelCard
{
    public required string Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Training rows are strictly before this moment; the holdout is at or after it.</summary>
    public required DateTimeOffset DataCutoff { get; init; }
    public required int TrainRows { get; init; }
    public required int HoldoutRows { get; init; }
    public required int Patients { get; init; }
    public required int Interventions { get; init; }
    public required TrainingOptions Hyperparameters { get; init; }
    public int Seed => Hyperparameters.Seed;
    /// <summary>The epochs actually trained (the hyperparameters may say "automatic").</summary>
    public int Epochs => Hyperparameters.EpochsFor(TrainRows);
    public required double TrainingSeconds { get; init; }
    public string? CodeCommit { get; init; }
    public string? DataSource { get; init; }
    /// <summary>The FFM first, then the baselines, all on the same holdout.</summary>
    public required IReadOnlyList<RankerResult> Metrics { get; init; }
    public IReadOnlyList<CalibrationPoint> Calibration { get; init; } = [];
    /// <summary>Policy value G on generated cohorts (empty on real data, which has no hidden truth).</summary>
    public IReadOnlyList<PolicyValueResult> PolicyValues { get; init; } = [];

    public RankerResult Model => Metrics[0];
}
