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
        var check = new SafetyCheck(request, now, options);
        var allowed = new List<Intervention>();
        var excluded = new List<Exclusion>();
        foreach (var item in catalog)
        {
            if (check.Exclude(item) is { } exclusion) excluded.Add(exclusion);
            else allowed.Add(item);
        }
        return (allowed, excluded);
    }
}

/// <summary>
/// One patient's safety rules, evaluated once: what rules an intervention out (in the order the filter applies them), and each
/// part on its own for a route that must tell a clinician why ("withheld: BP 184/112 mmHg on 9 Nov 2026 …").
/// </summary>
public sealed class SafetyCheck
{
    private readonly RecommendationOptions _options;
    private readonly DateTimeOffset _now;
    private readonly Dictionary<Contraindication, ClinicalAlert> _measured;
    private readonly IReadOnlySet<Contraindication> _recorded;
    private readonly Dictionary<string, ClinicianDecision> _latestDecision;
    private readonly Dictionary<string, ClinicianDecision> _latestClearance;
    private readonly Dictionary<string, PatientChoice> _latestChoice;

    public SafetyCheck(RecommendationRequest request, DateTimeOffset now, RecommendationOptions options)
    {
        _options = options;
        _now = now;
        _measured = new Dictionary<Contraindication, ClinicalAlert>(options.Thresholds.MeasuredContraindications(request.Patient));
        _recorded = request.Patient.KnownConditions;
        // On equal times the later decision in the list wins (decisions arrive in the order they were made).
        _latestDecision = Latest(request.Decisions.Where(d => d.Action is ClinicianAction.Endorse or ClinicianAction.Hide or ClinicianAction.Add));
        // Endorsing or adding an intervention that needs clearance clears it; a revoked clearance holds until the next of those.
        _latestClearance = Latest(request.Decisions.Where(d => d.Action is ClinicianAction.GrantClearance or ClinicianAction.Endorse
            or ClinicianAction.Add or ClinicianAction.RevokeClearance));
        _latestChoice = request.Choices.GroupBy(c => c.InterventionId)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.At).Last(), StringComparer.Ordinal);
    }

    /// <summary>The patient's conditions that rule <paramref name="item"/> out, each with the measurement behind it (none when recorded by the care team).</summary>
    public IReadOnlyList<ContraindicationFinding> Contraindications(Intervention item) =>
        item.Safety.Contraindications.Distinct()
            .Where(c => _recorded.Contains(c) || _measured.ContainsKey(c))
            .Select(c => new ContraindicationFinding(c, _recorded.Contains(c) ? null : _measured[c]))
            .ToList();

    /// <summary>The decision that cleared an intervention needing clearance, or null when it is not cleared (never, or revoked since).</summary>
    public ClinicianDecision? Clearance(string interventionId) =>
        _latestClearance.GetValueOrDefault(interventionId) is { Action: not ClinicianAction.RevokeClearance } d ? d : null;

    public bool NeedsClearance(Intervention item) => item.Safety.NeedsClinicianClearance && Clearance(item.Id) is null;

    public bool Hidden(string interventionId) => _latestDecision.GetValueOrDefault(interventionId)?.Action == ClinicianAction.Hide;

    /// <summary>The patient's own choice that still keeps the item off their list (not for me, not now, enrolled), or null.</summary>
    public PatientChoice? StandingChoice(Intervention item)
    {
        if (!_latestChoice.TryGetValue(item.Id, out var choice)) return null;
        var period = choice.Kind switch
        {
            ChoiceKind.NotForMe => _options.NotForMePeriod,
            ChoiceKind.NotNow => _options.NotNowPeriod,
            _ => TimeSpan.FromDays(7 * item.Intensity.Weeks),
        };
        return _now - choice.At < period ? choice : null;
    }

    /// <summary>Why the filter leaves <paramref name="item"/> out, or null when it may be served.</summary>
    public Exclusion? Exclude(Intervention item)
    {
        if (Contraindications(item) is { Count: > 0 } found)
            return new Exclusion(item.Id, "contraindicated: " + string.Join(", ", found.Select(f => f.Condition)))
            {
                Kind = ExclusionKind.Contraindicated, Contraindications = found,
            };
        if (Hidden(item.Id))
            return new Exclusion(item.Id, "hidden by the care team") { Kind = ExclusionKind.HiddenByCareTeam, Since = _latestDecision[item.Id].At };
        if (NeedsClearance(item))
            return new Exclusion(item.Id, "needs clearance from the care team first") { Kind = ExclusionKind.NeedsClearance };
        return StandingChoice(item) switch
        {
            { Kind: ChoiceKind.NotForMe } c => new Exclusion(item.Id, "the patient said not for me") { Kind = ExclusionKind.NotForMe, Since = c.At },
            { Kind: ChoiceKind.NotNow } c => new Exclusion(item.Id, "the patient said not now") { Kind = ExclusionKind.NotNow, Since = c.At },
            { Kind: ChoiceKind.Enrol } c => new Exclusion(item.Id, "already enrolled") { Kind = ExclusionKind.AlreadyEnrolled, Since = c.At },
            _ => null,
        };
    }

    private static Dictionary<string, ClinicianDecision> Latest(IEnumerable<ClinicianDecision> decisions) =>
        decisions.GroupBy(d => d.InterventionId).ToDictionary(g => g.Key, g => g.OrderBy(d => d.At).Last(), StringComparer.Ordinal);
}
