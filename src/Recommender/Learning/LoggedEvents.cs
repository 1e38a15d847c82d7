using Benefit.Recommender.Cohort;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;

namespace Benefit.Recommender.Learning;

/// <summary>
/// One item of one list served to a patient, with what the model knew then: the context (shared by the list's items), the
/// model version, the rank and the item's propensity (the probability the serving policy showed it).
/// </summary>
public sealed record LoggedExposure(string ListId, string PatientId, string InterventionId, DateTimeOffset ServedAt, int Rank,
    double Propensity, bool Explored, string ModelVersion, PatientContext Context)
{
    /// <summary>What the list was chosen from (shared by the list's items); null for lists stored before it was kept.</summary>
    public ServedCandidates? Candidates { get; init; }
}

/// <summary>What a patient said about an intervention: enrol, not-for-me or not-now (the API's choice kinds).</summary>
public sealed record LoggedChoice(string PatientId, string InterventionId, string Kind, DateTimeOffset At);

/// <summary>A session of an intervention the patient attended, as its provider reported it.</summary>
public sealed record LoggedSession(string PatientId, string InterventionId, DateTimeOffset At);

/// <summary>
/// The outcome of one exposure as of a moment: final, provisional (an enrolment under way, judged by its pace so far), or
/// not known yet (<see cref="Decided"/> false: the row is left out of training until it is).
/// </summary>
public sealed record ExposureOutcome(LoggedExposure Exposure, Outcome Outcome, int SessionsAttended, int PlannedSessions, bool Decided,
    bool Provisional)
{
    public bool KeptUp => Outcome == Outcome.KeptUp;
}
