using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;

namespace Benefit.Simulator;

/// <summary>What the patient will do about one served intervention, drawn from the hidden response model.</summary>
public enum Response { Ignore, Postpone, Decline, EnrolAndDrop, EnrolAndKeepUp }

/// <summary>An enrolment: the sessions the patient will attend, in order, from the day after enrolling.</summary>
public sealed record Plan(Intervention Item, int EnrolWeek, DateTimeOffset EnrolledAt, int Attended, bool KeptUp)
{
    /// <summary>When session <paramref name="n"/> (0-based) takes place: spread over each planned week, Monday to Sunday.</summary>
    public DateTimeOffset SessionAt(int n)
    {
        var perWeek = Math.Max(1, Item.Intensity.SessionsPerWeek);
        // Tuesday 08:00 to Sunday 20:00 of each planned week, so every session falls before that week's Sunday-evening report.
        var hours = 32 + (n % perWeek) * 132.0 / perWeek;
        return new DateTimeOffset(EnrolledAt.UtcDateTime.Date, TimeSpan.Zero).AddDays(7 * (n / perWeek)).AddHours(hours);
    }
}

/// <summary>One simulated patient: the generated truth, what they told the service, and the simulator's copy of their choices.</summary>
public sealed class SimulatedPatient(int index, CohortPatient truth, bool trainingConsent, string clinician)
{
    public int Index { get; } = index;
    public CohortPatient Truth { get; } = truth;
    public string Id => Truth.Id;
    public bool TrainingConsent { get; } = trainingConsent;
    /// <summary>The care-team clinician who reviews this patient when the week's sample draws them.</summary>
    public string Clinician { get; } = clinician;
    public string Token { get; set; } = "";
    public PatientContext Context { get; set; } = null!;
    public List<PatientChoice> Choices { get; } = [];
    public List<ClinicianDecision> Decisions { get; } = [];
    public List<Plan> Plans { get; } = [];

    /// <summary>The request the safety filter sees: the same choices and care-team decisions the service holds.</summary>
    public RecommendationRequest Request(int limit) => new(Context, limit) { Choices = [.. Choices], Decisions = [.. Decisions] };
}
