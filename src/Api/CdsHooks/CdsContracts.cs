using System.Text.Json;

namespace Benefit.Api.CdsHooks;

/// <summary>CDS Hooks 2.0 discovery: what services we offer and what they want prefetched.</summary>
public sealed record CdsDiscovery(IReadOnlyList<CdsServiceDescription> Services);

public sealed record CdsServiceDescription(string Hook, string Id, string Title, string Description,
    IReadOnlyDictionary<string, string> Prefetch, string UsageRequirements);

public sealed record CdsResponse(IReadOnlyList<CdsCard> Cards);

public sealed record CdsCard(
    string Uuid,
    string Summary,
    string Detail,
    string Indicator,
    CdsSource Source,
    IReadOnlyList<CdsSuggestion> Suggestions,
    string SelectionBehavior,
    IReadOnlyList<CdsCoding> OverrideReasons,
    IReadOnlyList<CdsLink> Links);

public sealed record CdsSource(string Label);

public sealed record CdsSuggestion(string Label, string Uuid, bool IsRecommended);

public sealed record CdsCoding(string System, string Code, string Display);

public sealed record CdsLink(string Label, string Url, string Type);

/// <summary>The parts of a hook request we read; the rest of the JSON is allowed and ignored, as the spec expects.</summary>
public sealed record CdsHookRequest(string Hook, string HookInstance, string PatientId, string? UserId, string? FhirServer,
    string? FhirAccessToken, JsonElement? ObservationsPrefetch);

/// <summary>One outcome from POST /cds-services/{id}/feedback.</summary>
public sealed record CdsFeedbackItem(string Card, string Outcome, string? OverrideReason);

public sealed record CdsFeedbackResult(int Recorded, IReadOnlyList<long> DecisionIds);
