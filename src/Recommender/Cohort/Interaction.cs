using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

/// <summary>
/// What happened after an intervention was shown to a patient. The generated cohort writes the first four; the service's
/// own logs (src/Recommender/Learning/OutcomeRules.cs) also know "not now" and an enrolment still under way.
/// </summary>
public enum Outcome { Ignored, Declined, Dropped, KeptUp, Postponed, Enrolled }

/// <summary>One shown intervention and its outcome, with the patient's context as it was at that moment.</summary>
public sealed record Interaction(
    string PatientId, string InterventionId, DateTimeOffset Timestamp, Outcome Outcome,
    int SessionsAttended, int PlannedSessions, PatientContext Context)
{
    /// <summary>The training label: completed, or attended at least half of the planned sessions.</summary>
    public bool KeptUp => Outcome == Outcome.KeptUp;
}
