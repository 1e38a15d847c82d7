using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Models;

/// <summary>The nightly retrain's data, cohort size, holdout and promotion tolerance; bound from "Models:Retrain".</summary>
public sealed class RetrainOptions
{
    public const string SectionName = "Models:Retrain";

    /// <summary>Interaction history (profiles.csv + interactions.csv); generated with <see cref="Seed"/> when missing.</summary>
    [Required]
    public string TrainingData { get; set; } = "var/cohort";
    public int Seed { get; set; } = 42;
    [Range(10, 10_000_000)]
    public int CohortPatients { get; set; } = 2000;
    [Range(10, 100_000_000)]
    public int CohortInteractions { get; set; } = 20000;
    [Range(1, 52)]
    public int HoldoutWeeks { get; set; } = 6;
    /// <summary>How much worse (nDCG@5, absolute) a challenger or any subgroup may be and still be promoted.</summary>
    [Range(0.0, 1.0)]
    public double Tolerance { get; set; } = 0.01;
    /// <summary>Negative control for data scientists: train on shuffled labels to see the gate reject it.</summary>
    public bool ShuffleLabels { get; set; }
}
