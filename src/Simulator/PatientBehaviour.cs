using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Serving;

namespace Benefit.Simulator;

/// <summary>What simulated people do with what the service shows them: patients per the hidden response model, clinicians per review.</summary>
public sealed class PatientBehaviour(ServiceCalls calls, ResponseModel truth, InterventionCatalog catalog, int seed)
{
    /// <summary>The hidden response model decides; the patient's app sends the choice the way a person's tap would.</summary>
    public async Task ActAsync(SimulatedPatient p, string? listId,
        ServedItem served, int week, DateTimeOffset now, WeekCounters counters, CancellationToken ct)
    {
        if (catalog.Find(served.InterventionId) is not { } item) return;
        var c = truth.Coefficients;
        var salt = ResponseModel.StableHash(item.Id);
        double U(int what) => Dice.Uniform(seed, p.Index, week, salt ^ what);
        var keepUp = truth.KeepUpProbability(p.Truth, p.Context, item);
        var planned = item.Intensity.PlannedSessions;

        if (U(10) < keepUp || U(11) < c.DroppedShare)
        {
            var kept = U(10) < keepUp;
            var attended = kept ? (int)Math.Ceiling(planned * (0.5 + 0.5 * U(12))) : (int)(planned * 0.5 * U(12));
            await calls.ChooseAsync(p, item.Id, "enrol", listId, ct);
            lock (p)
            {
                p.Choices.Add(new PatientChoice(item.Id, ChoiceKind.Enrol, now));
                p.Plans.Add(new Plan(item, week, now, Math.Min(attended, planned), kept));
            }
            Interlocked.Increment(ref counters.Enrolments);
            if (kept) Interlocked.Increment(ref counters.KeptUp);
        }
        else if (U(13) < c.DeclinedShare)
        {
            await calls.ChooseAsync(p, item.Id, "not-for-me", listId, ct);
            lock (p) p.Choices.Add(new PatientChoice(item.Id, ChoiceKind.NotForMe, now));
            Interlocked.Increment(ref counters.Declined);
        }
        else if (U(14) < c.PostponedShare)
        {
            await calls.ChooseAsync(p, item.Id, "not-now", listId, ct);
            lock (p) p.Choices.Add(new PatientChoice(item.Id, ChoiceKind.NotNow, now));
            Interlocked.Increment(ref counters.Postponed);
        }
    }

    /// <summary>The care team's clinician opens the review and endorses the top suggestion (once per intervention).</summary>
    public async Task ReviewAsync(SimulatedService service, SimulatedPatient p, DateTimeOffset now, WeekCounters counters, CancellationToken ct)
    {
        var token = service.Token(p.Clinician, "clinician");
        var suggestions = await calls.ReviewAsync(token, p.Id, ct);
        Interlocked.Increment(ref counters.Reviews);
        if (suggestions.Count == 0) return;
        var top = suggestions[0];
        lock (p)
        {
            if (p.Decisions.Any(d => d.InterventionId == top && d.Action == ClinicianAction.Endorse)) return;
            p.Decisions.Add(new ClinicianDecision(top, ClinicianAction.Endorse, now));
        }
        await calls.DecideAsync(token, p.Id, "endorse", top, ct);
    }

    /// <summary>The points rule a provider reports an attended session under.</summary>
    public static string ActivityType(Intervention item) => item.Category switch
    {
        InterventionCategory.PhysicalActivity => "exercise-session",
        InterventionCategory.BloodPressureMonitoring => "bp-self-measurement",
        InterventionCategory.Nutrition when item.Format.Setting == Setting.Group => "dietician-group-session",
        _ when item.Format.Guidance == Guidance.Guided => "coaching-session-attended",
        _ => "course-module-completed",
    };
}

/// <summary>A week's tallies, incremented by concurrent patients.</summary>
public sealed class WeekCounters
{
    public int Enrolments, KeptUp, Declined, Postponed, Reviews, Reported, Refused;
}
