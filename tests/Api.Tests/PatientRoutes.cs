using System.Net.Http.Json;

namespace Benefit.Api.Tests;

/// <summary>
/// Every patient route, for the access matrix. Each route names who may use it; all others must get 403
/// (or 401 without a token). Add a row when you add a patient route.
/// </summary>
public sealed record PatientRoute(string Method, string Template, bool Self, bool CareTeam, bool Admin, Func<object?>? Body = null)
{
    public HttpRequestMessage Request(string patientId)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Template.Replace("{id}", patientId));
        if (Body?.Invoke() is { } body)
            request.Content = JsonContent.Create(body);
        if (Idempotent)
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    /// <summary>Ledger writes need an Idempotency-Key header.</summary>
    public bool Idempotent { get; init; }

    public override string ToString() => $"{Method} {Template}";

    public static readonly PatientRoute[] All =
    [
        new("GET", "/patients/{id}", Self: true, CareTeam: true, Admin: true),
        new("GET", "/patients/{id}/consent", Self: true, CareTeam: true, Admin: false),
        new("PUT", "/patients/{id}/consent", Self: true, CareTeam: false, Admin: false,
            () => new { personalisation = true, training = true }),
        new("POST", "/patients/{id}/fhir-sync", Self: true, CareTeam: true, Admin: false),
        new("GET", "/patients/{id}/observations", Self: true, CareTeam: true, Admin: false),
        new("GET", "/patients/{id}/recommendations", Self: true, CareTeam: true, Admin: false),
        new("GET", "/patients/{id}/preferences", Self: true, CareTeam: true, Admin: false),
        new("PUT", "/patients/{id}/preferences", Self: true, CareTeam: false, Admin: false, () => new { setting = "Group" }),
        new("POST", "/patients/{id}/choices", Self: true, CareTeam: false, Admin: false, () => new { interventionId = "pa-walking-group", kind = "not-now" }),
        new("GET", "/patients/{id}/review", Self: false, CareTeam: true, Admin: false),
        new("POST", "/patients/{id}/review-decisions", Self: false, CareTeam: true, Admin: false, () => new { kind = "note", note = "seen" }),
        new("PUT", "/patients/{id}/conditions", Self: false, CareTeam: true, Admin: false, () => new { conditions = Array.Empty<string>() }),
        new("GET", "/patients/{id}/series", Self: false, CareTeam: true, Admin: false),
        new("GET", "/patients/{id}/points", Self: true, CareTeam: true, Admin: true),
        new("POST", "/patients/{id}/redemptions", Self: true, CareTeam: false, Admin: false, () => new { rewardId = "water-bottle", quantity = 1 }) { Idempotent = true },
    ];
}
