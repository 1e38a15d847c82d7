using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Serving;

/// <summary>RevokeClearance undoes a clearance (one granted, or implied by endorsing or adding); the latest of them wins.</summary>
public enum ClinicianAction { Endorse, Hide, Add, GrantClearance, RevokeClearance }

/// <summary>A care-team decision about one intervention for one patient; no justification is ever required.</summary>
public sealed record ClinicianDecision(string InterventionId, ClinicianAction Action, DateTimeOffset At);

public enum ChoiceKind { Enrol, NotForMe, NotNow }

/// <summary>The patient's own choice; "not for me" and "not now" need no reason.</summary>
public sealed record PatientChoice(string InterventionId, ChoiceKind Kind, DateTimeOffset At);

public sealed record RecommendationRequest(PatientContext Patient, int Limit = 5)
{
    public IReadOnlyList<ClinicianDecision> Decisions { get; init; } = [];
    public IReadOnlyList<PatientChoice> Choices { get; init; } = [];
    /// <summary>
    /// Interventions shown to the patient again and again lately without any answer: they rest below the others for a while
    /// (the app does not nag with what the patient keeps passing over; "not for me" would take it off the list altogether).
    /// </summary>
    public IReadOnlySet<string> Resting { get; init; } = new HashSet<string>();
}

/// <summary>Serving rules the API binds from configuration.</summary>
public sealed record RecommendationOptions
{
    public TimeSpan NotForMePeriod { get; init; } = TimeSpan.FromDays(180);
    public TimeSpan NotNowPeriod { get; init; } = TimeSpan.FromDays(30);
    public int DiversityWindow { get; init; } = 5;
    public int MaxPerCategoryInWindow { get; init; } = 2;
    public int MaxLimit { get; init; } = 50;
    /// <summary>An intervention shown in this many lists within <see cref="RestingWindow"/> without any answer rests below the others.</summary>
    public int RestAfterUnansweredLists { get; init; } = 2;
    public TimeSpan RestingWindow { get; init; } = TimeSpan.FromDays(28);
    /// <summary>Share of personalised lists whose last slot shows an under-explored item instead (0 = never); see <see cref="Exploration"/>.</summary>
    public double ExplorationShare { get; init; }
    /// <summary>The table that says which measurements contraindicate what (the API's loaded file; the compiled copy otherwise).</summary>
    public ClinicalThresholds Thresholds { get; init; } = ClinicalThresholds.Default;
}

public sealed record Recommendation(
    Intervention Intervention, int Rank, float Score, bool EndorsedByCareTeam, bool AddedByCareTeam, IReadOnlyList<string> Reasons)
{
    /// <summary>The probability that the serving policy puts this item in this list (1 for a greedy pick that exploration cannot displace).</summary>
    public double Propensity { get; init; } = 1;
    /// <summary>Shown to learn who it suits, not because the model ranked it this high.</summary>
    public bool Explored { get; init; }
}

/// <summary>
/// The choice a served list was made from: the items the safety filter (and the patient's one-category wish) allowed, those
/// resting, the care team's picks (which go first) and whether diversity was relaxed for a one-category wish.
/// </summary>
public sealed record ServedCandidates(IReadOnlyList<string> Allowed, IReadOnlyList<string> Resting, IReadOnlyList<string> CareTeamPicks,
    bool SingleCategory)
{
    public static readonly ServedCandidates None = new([], [], [], false);
}

/// <summary>Why an intervention was left out; shown to clinicians, never to the patient as a judgement.</summary>
public sealed record Exclusion(string InterventionId, string Reason)
{
    public ExclusionKind Kind { get; init; }
    /// <summary>For <see cref="ExclusionKind.Contraindicated"/>: the conditions that rule it out, each with its measurement when measured.</summary>
    public IReadOnlyList<ContraindicationFinding> Contraindications { get; init; } = [];
    /// <summary>When the decision or choice behind a hidden, declined, postponed or enrolled item was made.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Withheld for safety (contraindicated or awaiting clearance), as opposed to hidden or declined.</summary>
    public bool ForSafety => Kind is ExclusionKind.Contraindicated or ExclusionKind.NeedsClearance;
}

/// <summary>Why the filter left an item out, in the order it checks: safety first, the care team, then the patient's own choices.</summary>
public enum ExclusionKind { Contraindicated, HiddenByCareTeam, NeedsClearance, NotForMe, NotNow, AlreadyEnrolled }

/// <summary>A condition that rules an intervention out; <see cref="Measured"/> is null when the care team recorded it.</summary>
public sealed record ContraindicationFinding(Contraindication Condition, ClinicalAlert? Measured);

/// <summary>One served list: every item was scored by <see cref="ModelVersion"/> and no other (<see cref="GuidelineVersion"/> when no model is loaded).</summary>
public sealed record RecommendationList(
    string PatientId, string ModelVersion, bool Personalised, IReadOnlyList<Recommendation> Items, IReadOnlyList<Exclusion> Excluded)
{
    /// <summary>The model version a list names when it was ranked by the guideline rules because no model was loaded.</summary>
    public const string GuidelineVersion = "guideline-rules";

    /// <summary>What the list was chosen from, stored with a served list so another model's list can be rebuilt for off-policy evaluation.</summary>
    public ServedCandidates Candidates { get; init; } = ServedCandidates.None;

    /// <summary>Plain-language note the app shows when the list is not personalised.</summary>
    public string? Notice => Personalised ? null
        : "These suggestions are not personalised, because you have not agreed to personalisation. They are the same for everyone.";
}
