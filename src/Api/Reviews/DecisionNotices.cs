using System.Globalization;
using Benefit.Api.Recommendations;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Benefit.Api.Reviews;

/// <summary>What a review decision's answer tells the clinician about safety and the patient's own choices — never a silent 201.</summary>
public static class DecisionNotices
{
    public const string ClearedCode = "cleared", RevokedCode = "clearance-revoked", NotClearedCode = "not-cleared", NoClearanceNeededCode = "no-clearance-needed",
        PatientSaidNotForMe = "patient-not-for-me", PatientSaidNotNow = "patient-not-now", PatientEnrolled = "patient-enrolled";

    /// <summary>409 for endorsing, adding or clearing an intervention the patient's conditions rule out: the reason, and that it cannot be cleared.</summary>
    public static ProblemHttpResult? Contraindicated(string kind, Intervention item, SafetyCheck check, SafetyPicture safety)
    {
        if (kind is not (ReviewKinds.Endorse or ReviewKinds.Add or ReviewKinds.Clear) || check.Contraindications(item) is not { Count: > 0 } found)
            return null;
        var withheld = safety.Describe(item, new Exclusion(item.Id, "contraindicated") { Kind = ExclusionKind.Contraindicated, Contraindications = found });
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Withheld for safety",
            detail: $"{item.Name} is withheld for this patient. {withheld.Reason} {withheld.Clearance}",
            extensions: new Dictionary<string, object?> { ["field"] = "interventionId", ["withheld"] = withheld });
    }

    public static IEnumerable<DecisionNotice> For(string kind, Intervention item, SafetyCheck check)
    {
        if (kind is ReviewKinds.Endorse or ReviewKinds.Add && check.NeedsClearance(item))
            yield return new(ClearedCode, $"{item.Name} needed clearance by the care team; this {(kind == ReviewKinds.Add ? "addition" : "endorsement")} " +
                "cleared it for this patient. Revoke the clearance to withhold it again.");
        if (kind == ReviewKinds.Clear && !item.Safety.NeedsClinicianClearance)
            yield return new(NoClearanceNeededCode, $"{item.Name} needs no clearance; nothing changes for the patient.");
        if (kind == ReviewKinds.RevokeClearance)
            yield return check.Clearance(item.Id) is null || !item.Safety.NeedsClinicianClearance
                ? new(NotClearedCode, $"{item.Name} was not cleared for this patient; nothing changes.")
                : new(RevokedCode, $"Clearance of {item.Name} revoked: it is withheld for this patient again.");
        if (kind is ReviewKinds.Endorse or ReviewKinds.Add && check.StandingChoice(item) is { } choice)
            yield return Choice(item, choice);
    }

    private static DecisionNotice Choice(Intervention item, Recommender.Serving.PatientChoice choice)
    {
        var on = choice.At.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        return choice.Kind switch
        {
            ChoiceKind.NotForMe => new(PatientSaidNotForMe,
                $"The patient said \"not for me\" to {item.Name} on {on}. That stands: your decision is recorded but does not put it back on their list.",
                choice.At.UtcDateTime),
            ChoiceKind.NotNow => new(PatientSaidNotNow,
                $"The patient said \"not now\" to {item.Name} on {on}. That stands: it returns to their list when that period ends.", choice.At.UtcDateTime),
            _ => new(PatientEnrolled, $"The patient enrolled in {item.Name} on {on}.", choice.At.UtcDateTime),
        };
    }
}
