using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;

namespace Benefit.Recommender.Learning;

/// <summary>The windows of <see cref="OutcomeRules"/>; documented in docs/architecture.md ("The learning loop").</summary>
public sealed record OutcomeRuleOptions
{
    /// <summary>No enrolment, "not for me" or "not now" within this many days of being shown: ignored.</summary>
    public int RespondWithinDays { get; init; } = 14;
    /// <summary>An enrolment under way for at least this many days is judged by its pace (provisional) until its planned weeks end.</summary>
    public int PaceAfterDays { get; init; } = 14;
    /// <summary>
    /// Only exposures at least this many days old train or judge: by then every kind of outcome has had time to happen, so
    /// the newest rows are not all early "not for me"s while their enrolments are still open (0 = every decided row).
    /// </summary>
    public int SettleDays { get; init; } = 14;
}

/// <summary>
/// One outcome per (patient, intervention) exposure, from the events the service stores, with the cohort generator's
/// definitions so live and synthetic rows mean the same:
/// <list type="bullet">
/// <item>An exposure starts at the first list that showed the intervention; lists showing it again within the response
/// window belong to the same exposure (the app opened twice is one decision, not two).</item>
/// <item>"not-for-me" within the window: <b>Declined</b>; "not-now": <b>Postponed</b>; neither, nor an enrolment or a
/// session, once the window has passed: <b>Ignored</b>.</item>
/// <item>"enrol", or a first reported session, within the window: enrolled. At least half of the planned sessions
/// (weeks × sessions per week) attended: <b>KeptUp</b>, as soon as it happens. The planned weeks over with fewer:
/// <b>Dropped</b>. Under way for <see cref="OutcomeRuleOptions.PaceAfterDays"/> or more: provisionally KeptUp when on pace
/// (at least half of the sessions planned so far), else provisionally Dropped; a later night judges again.</item>
/// <item>Anything else is not known yet (<see cref="ExposureOutcome.Decided"/> false) and is not trained on.</item>
/// </list>
/// Only events before <c>asOf</c> count, so a retrain with a frozen cutoff never sees the future.
/// </summary>
public static class OutcomeRules
{
    public static List<ExposureOutcome> Derive(IEnumerable<LoggedExposure> exposures, IEnumerable<LoggedChoice> choices,
        IEnumerable<LoggedSession> sessions, InterventionCatalog catalog, DateTimeOffset asOf, OutcomeRuleOptions? options = null)
    {
        options ??= new OutcomeRuleOptions();
        var window = TimeSpan.FromDays(options.RespondWithinDays);
        var choicesOf = choices.Where(c => c.At < asOf).ToLookup(c => (c.PatientId, c.InterventionId));
        var sessionsOf = sessions.Where(s => s.At < asOf).ToLookup(s => (s.PatientId, s.InterventionId));
        var result = new List<ExposureOutcome>();
        foreach (var pair in exposures.Where(e => e.ServedAt < asOf).GroupBy(e => (e.PatientId, e.InterventionId)))
        {
            if (catalog.Find(pair.Key.InterventionId) is not { } item) continue;
            var pairChoices = choicesOf[pair.Key].OrderBy(c => c.At).ToList();
            var pairSessions = sessionsOf[pair.Key].Select(s => s.At).Order().ToList();
            DateTimeOffset? busyUntil = null;
            foreach (var shown in pair.OrderBy(e => e.ServedAt).ThenBy(e => e.Rank))
            {
                if (busyUntil is { } until && shown.ServedAt < until) continue; // part of the exposure before it
                var outcome = Judge(shown, item, pairChoices, pairSessions, asOf, window, options);
                result.Add(outcome);
                busyUntil = outcome.Outcome is Outcome.Enrolled or Outcome.KeptUp or Outcome.Dropped
                    ? shown.ServedAt.AddDays(7 * item.Intensity.Weeks) + window
                    : shown.ServedAt + window;
            }
        }
        return result;
    }

    private static ExposureOutcome Judge(LoggedExposure shown, Intervention item, List<LoggedChoice> choices, List<DateTimeOffset> sessions,
        DateTimeOffset asOf, TimeSpan window, OutcomeRuleOptions options)
    {
        var planned = item.Intensity.PlannedSessions;
        var end = shown.ServedAt + window;
        var answer = choices.FirstOrDefault(c => c.At >= shown.ServedAt && c.At < end);
        var firstSession = sessions.FirstOrDefault(s => s >= shown.ServedAt && s < end);
        var sessionStarts = firstSession == default ? (DateTimeOffset?)null : firstSession;

        DateTimeOffset? enrolledAt = answer?.Kind == "enrol" ? answer.At : null;
        if (sessionStarts is { } first && (enrolledAt is null || first < enrolledAt) && answer?.Kind is not ("not-for-me" or "not-now"))
            enrolledAt = first;
        if (enrolledAt is null)
        {
            return answer?.Kind switch
            {
                "not-for-me" => new(shown, Outcome.Declined, 0, planned, true, false),
                "not-now" => new(shown, Outcome.Postponed, 0, planned, true, false),
                _ => new(shown, Outcome.Ignored, 0, planned, asOf >= end, false),
            };
        }

        var start = enrolledAt.Value;
        var finish = start.AddDays(7 * item.Intensity.Weeks);
        var attended = sessions.Where(s => s >= shown.ServedAt && s < finish).ToList();
        var needed = (int)Math.Ceiling(planned / 2.0);
        if (attended.Count >= needed) return new(shown, Outcome.KeptUp, attended.Count, planned, true, false);
        if (asOf >= finish) return new(shown, Outcome.Dropped, attended.Count, planned, true, false);
        var days = (asOf - start).TotalDays;
        if (days < options.PaceAfterDays) return new(shown, Outcome.Enrolled, attended.Count, planned, false, false);
        var onPace = attended.Count >= 0.5 * item.Intensity.SessionsPerWeek * days / 7;
        return new(shown, onPace ? Outcome.KeptUp : Outcome.Dropped, attended.Count, planned, true, true);
    }
}
