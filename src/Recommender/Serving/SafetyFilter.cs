using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Serving;

/// <summary>
/// Runs before any ranking. Contraindications are absolute: neither preferences nor a clinician's endorsement or
/// addition brings a contraindicated intervention back.
/// </summary>
public static class SafetyFilter
{
    public static (List<Intervention> Allowed, List<Exclusion> Excluded) Apply(
        IEnumerable<Intervention> catalog, RecommendationRequest request, DateTimeOffset now, RecommendationOptions options)
    {
        var contraindications = Targets.Contraindications(request.Patient);
        var latestDecision = request.Decisions.Where(d => d.Action is ClinicianAction.Endorse or ClinicianAction.Hide or ClinicianAction.Add)
            .GroupBy(d => d.InterventionId).ToDictionary(g => g.Key, g => g.MaxBy(d => d.At)!.Action, StringComparer.Ordinal);
        var cleared = request.Decisions.Where(d => d.Action is ClinicianAction.GrantClearance or ClinicianAction.Endorse or ClinicianAction.Add)
            .Select(d => d.InterventionId).ToHashSet(StringComparer.Ordinal);
        var latestChoice = request.Choices.GroupBy(c => c.InterventionId)
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.At)!, StringComparer.Ordinal);

        var allowed = new List<Intervention>();
        var excluded = new List<Exclusion>();
        foreach (var item in catalog)
        {
            var reason = Reason(item);
            if (reason is null) allowed.Add(item);
            else excluded.Add(new Exclusion(item.Id, reason));
        }
        return (allowed, excluded);

        string? Reason(Intervention item)
        {
            var blocked = item.Safety.Contraindications.Where(contraindications.Contains).ToList();
            if (blocked.Count > 0)
                return "contraindicated: " + string.Join(", ", blocked);
            if (latestDecision.GetValueOrDefault(item.Id) == ClinicianAction.Hide)
                return "hidden by the care team";
            if (item.Safety.NeedsClinicianClearance && !cleared.Contains(item.Id))
                return "needs clearance from the care team first";
            if (latestChoice.TryGetValue(item.Id, out var choice))
            {
                var age = now - choice.At;
                if (choice.Kind == ChoiceKind.NotForMe && age < options.NotForMePeriod) return "the patient said not for me";
                if (choice.Kind == ChoiceKind.NotNow && age < options.NotNowPeriod) return "the patient said not now";
                if (choice.Kind == ChoiceKind.Enrol && age < TimeSpan.FromDays(7 * item.Intensity.Weeks)) return "already enrolled";
            }
            return null;
        }
    }
}
