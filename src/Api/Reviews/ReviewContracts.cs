using System.ComponentModel.DataAnnotations;
using Benefit.Api.Observations;
using Benefit.Api.Patients;
using Benefit.Api.Recommendations;
using Benefit.Loyalty;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;

namespace Benefit.Api.Reviews;

public sealed record DecisionRequest
{
    [Required, AllowedValues(ReviewKinds.Endorse, ReviewKinds.Hide, ReviewKinds.Add, ReviewKinds.Clear, ReviewKinds.RevokeClearance, ReviewKinds.Note,
        ErrorMessage = "One of endorse, hide, add, clear, revoke-clearance, note.")]
    public required string Kind { get; init; }
    [MaxLength(64)]
    public string? InterventionId { get; init; }
    [MaxLength(2000)]
    public string? Note { get; init; }
}

public sealed record ConditionsRequest([property: Required, MaxLength(10)] IReadOnlyList<Contraindication> Conditions);

public sealed record ConditionsView(string PatientId, IReadOnlyList<Contraindication> Conditions);

public sealed record DecisionView(long Id, string Kind, string? InterventionId, string? Note, string ClinicianId, string Source, DateTime At)
{
    /// <summary>What the clinician should know about the decision just made (it cleared the item, the patient's "not for me" stands, …).</summary>
    public IReadOnlyList<DecisionNotice> Notices { get; init; } = [];
}

/// <summary>One thing a decision's answer tells the clinician; <c>at</c> is the date of the patient's choice when it is about one.</summary>
public sealed record DecisionNotice(string Code, string Text, DateTime? At = null);

/// <summary>The review, safety first: alerts, what was withheld for safety and the clearances in force come before everything else.</summary>
public sealed record ReviewView(PatientDto Patient, IReadOnlyList<AlertView> Alerts, IReadOnlyList<WithheldView> Withheld,
    IReadOnlyList<ClearedView> Cleared, ObservationsView Observations, RecommendationsView? Suggestions,
    IReadOnlyList<Exclusion> Excluded, Preferences Preferences, IReadOnlyList<ChoiceView> Choices, IReadOnlyList<DecisionView> Decisions,
    PointsStatement Points);
