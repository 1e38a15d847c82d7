using System.Text.Json;

namespace Benefit.Api.CdsHooks;

/// <summary>Reads hook and feedback bodies by hand: CDS clients send fields we do not know, which the API's strict binder would refuse.</summary>
public static class CdsRequests
{
    public const string ObservationsKey = "observations";

    /// <summary>The hook request, or the reason it is malformed (answered with 400).</summary>
    public static (CdsHookRequest? Request, string? Error) ParseHook(JsonElement body, string expectedHook)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return (null, "The body must be a JSON object.");
        if (Text(body, "hook") is not { } hook)
            return (null, "'hook' is required.");
        if (hook != expectedHook)
            return (null, $"This service answers the '{expectedHook}' hook, not '{hook}'.");
        if (Text(body, "hookInstance") is not { } instance)
            return (null, "'hookInstance' is required.");
        if (!Guid.TryParse(instance, out _))
            return (null, "'hookInstance' must be a UUID.");
        if (!body.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
            return (null, "'context' is required and must be an object.");
        if (Text(context, "patientId") is not { } patientId)
            return (null, "'context.patientId' is required.");

        var fhirServer = Text(body, "fhirServer");
        if (fhirServer is not null && !Uri.TryCreate(fhirServer, UriKind.Absolute, out _))
            return (null, "'fhirServer' must be an absolute URL.");
        string? accessToken = null;
        if (body.TryGetProperty("fhirAuthorization", out var auth) && auth.ValueKind != JsonValueKind.Null)
        {
            if (auth.ValueKind != JsonValueKind.Object || Text(auth, "access_token") is not { } token)
                return (null, "'fhirAuthorization' must be an object with an 'access_token'.");
            if (fhirServer is null)
                return (null, "'fhirAuthorization' needs 'fhirServer' (CDS Hooks rule cds-r-1).");
            accessToken = token;
        }

        JsonElement? observations = null;
        if (body.TryGetProperty("prefetch", out var prefetch) && prefetch.ValueKind != JsonValueKind.Null)
        {
            if (prefetch.ValueKind != JsonValueKind.Object)
                return (null, "'prefetch' must be an object.");
            // The spec lets a client send null for a prefetch it could not fulfil; we then fall back.
            if (prefetch.TryGetProperty(ObservationsKey, out var bundle) && bundle.ValueKind != JsonValueKind.Null)
            {
                if (!CdsObservations.IsBundle(bundle))
                    return (null, $"'prefetch.{ObservationsKey}' must be a FHIR Bundle.");
                observations = bundle;
            }
        }
        return (new CdsHookRequest(hook, instance, patientId, Text(context, "userId"), fhirServer, accessToken, observations), null);
    }

    /// <summary>The feedback items, or the reason the body is malformed.</summary>
    public static (IReadOnlyList<CdsFeedbackItem>? Items, string? Error) ParseFeedback(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("feedback", out var list) || list.ValueKind != JsonValueKind.Array)
            return (null, "'feedback' is required and must be an array.");
        var items = new List<CdsFeedbackItem>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Text(item, "card") is not { } card)
                return (null, "Every feedback item needs a 'card' (the card's uuid).");
            var outcome = Text(item, "outcome");
            if (outcome is not ("accepted" or "overridden"))
                return (null, $"'outcome' must be 'accepted' or 'overridden', not '{outcome}'.");
            items.Add(new CdsFeedbackItem(card, outcome, OverrideReason(item)));
        }
        return items.Count == 0 ? (null, "'feedback' must hold at least one item.") : (items, null);
    }

    /// <summary>The reason's display (or code) and the user's comment, both optional.</summary>
    private static string? OverrideReason(JsonElement item)
    {
        if (!item.TryGetProperty("overrideReason", out var reason) || reason.ValueKind != JsonValueKind.Object)
            return null;
        var coded = reason.TryGetProperty("reason", out var coding) && coding.ValueKind == JsonValueKind.Object
            ? Text(coding, "display") ?? Text(coding, "code") : null;
        var parts = new[] { coded, Text(reason, "userComment") }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count == 0 ? null : string.Join(" — ", parts);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString() : null;
}
