using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Models;

/// <summary>The nightly retrain's data rules, prior, holdout and promotion tolerance; bound from "Models:Retrain".</summary>
public sealed class RetrainOptions
{
    public const string SectionName = "Models:Retrain";

    /// <summary>
    /// The bootstrap prior: a generated cohort (profiles.csv + interactions.csv), made with <see cref="Seed"/> when missing. It
    /// trains alongside the service's own outcomes while they are few and fades out as they grow (<see cref="PriorFadeRows"/>).
    /// </summary>
    [Required]
    public string PriorData { get; set; } = "var/cohort";
    /// <summary>Off: learn from the service's own outcomes only.</summary>
    public bool UsePrior { get; set; } = true;
    public int Seed { get; set; } = 42;
    /// <summary>The generated prior's size: by default the cohort the shipped default model was trained on.</summary>
    [Range(10, 10_000_000)]
    public int CohortPatients { get; set; } = 5000;
    [Range(10, 100_000_000)]
    public int CohortInteractions { get; set; } = 60000;
    /// <summary>The live holdout: the last weeks of the service's own outcomes judge the challenger.</summary>
    [Range(1, 52)]
    public int HoldoutWeeks { get; set; } = 2;
    /// <summary>The prior's holdout, which judges while the live one is too small.</summary>
    [Range(1, 52)]
    public int PriorHoldoutWeeks { get; set; } = 6;
    /// <summary>The live holdout judges once it has this many outcomes, <see cref="MinimumLivePositives"/> of them kept up.</summary>
    [Range(0, 10_000_000)]
    public int MinimumLiveHoldout { get; set; } = 200;
    [Range(0, 10_000_000)]
    public int MinimumLivePositives { get; set; } = 10;
    /// <summary>The prior keeps 1 − live rows / this share of its rows (0: never use it).</summary>
    [Range(0, 100_000_000)]
    public int PriorFadeRows { get; set; } = 20_000;
    /// <summary>No answer within this many days of being shown: ignored (<c>OutcomeRules</c>).</summary>
    [Range(1, 365)]
    public int RespondWithinDays { get; set; } = 14;
    /// <summary>An enrolment under way this many days is judged by its pace until its planned weeks end.</summary>
    [Range(1, 365)]
    public int PaceAfterDays { get; set; } = 14;
    /// <summary>Only exposures at least this many days old train or judge (every outcome has had time to happen by then).</summary>
    [Range(0, 365)]
    public int SettleDays { get; set; } = 14;
    /// <summary>How much worse (nDCG@5 or off-policy value, absolute) a challenger or any subgroup may be and still be promoted.</summary>
    [Range(0.0, 1.0)]
    public double Tolerance { get; set; } = 0.01;
    public Benefit.Recommender.Learning.OutcomeRuleOptions OutcomeRules() =>
        new() { RespondWithinDays = RespondWithinDays, PaceAfterDays = PaceAfterDays, SettleDays = SettleDays };

    /// <summary>Negative control for data scientists: train on shuffled labels to see the gate reject it.</summary>
    public bool ShuffleLabels { get; set; }
}
