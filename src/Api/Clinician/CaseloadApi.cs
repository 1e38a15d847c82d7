using Benefit.Api.Audit;
using System.Security.Claims;
using Benefit.Api.Data;
using Benefit.Api.Models;
using Benefit.Api.Patients;
using Benefit.Api.Recommendations;
using Benefit.Api.Reviews;
using Benefit.Api.Security;
using Benefit.Fhir;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Serving;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Clinician;

/// <summary>What the review page needs beyond the review API: a caseload with sync state and open suggestions, and chart series.</summary>
public static class CaseloadApi
{
    private static readonly string[] Charted =
    [
        FeatureNames.SystolicBp, FeatureNames.DiastolicBp, FeatureNames.HeartRate, FeatureNames.Weight, FeatureNames.Bmi, FeatureNames.Waist,
        FeatureNames.Ldl, FeatureNames.HbA1c, FeatureNames.Steps, FeatureNames.Exercise, FeatureNames.Phq9, FeatureNames.Gad7,
        FeatureNames.Stress, FeatureNames.AuditC,
    ];

    public static IEndpointRouteBuilder MapCaseloadApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/clinicians/me/caseload", GetCaseload)
            .WithTags("Clinician")
            .WithName(nameof(GetCaseload))
            .WithSummary("The signed-in clinician's care-team patients, most urgent first (highest alert level, then its date), with last measurement, last sync and how many suggestions nobody has reviewed yet")
            .RequireAuthorization(p => p.RequireRole(Roles.Clinician));

        app.MapGet("/patients/{id}/series", GetSeries)
            .WithTags("Clinician")
            .WithName(nameof(GetSeries))
            .WithSummary("Dated readings of every charted measurement (blood pressure, heart rate, weight, BMI, waist, LDL, HbA1c, steps, exercise, PHQ-9, GAD-7, stress, AUDIT-C; the year up to the newest reading), for trend charts")
            .RequireAuthorization(p => p.RequireRole(Roles.Clinician))
            .WithPatientAccess(PatientAccess.CareTeam, "review.series");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<CaseloadEntry>>> GetCaseload(ClaimsPrincipal user, BenefitDb db,
        PatientRecommendations recommendations, SafetyPicture safety, AuditLog audit, CancellationToken ct)
    {
        var clinician = user.Subject();
        var patients = await db.Patients.AsNoTracking()
            .Where(p => p.CareTeam.Any(m => m.ClinicianId == clinician))
            .OrderBy(p => p.Id).Take(200)
            // Only the summary columns: the sync state's JSON holds every observation and is not needed for the list.
            .Select(p => new
            {
                p.Id, p.AgeBand, p.Sex,
                Sync = db.SyncStates.Where(s => s.PatientId == p.Id)
                    .Select(s => new { s.LastStatus, s.LastAttemptAt, s.LastMeasurementAt }).FirstOrDefault(),
            })
            .ToListAsync(ct);

        var entries = new List<CaseloadEntry>(patients.Count);
        foreach (var p in patients)
        {
            var open = 0;
            AlertView? top = null;
            if (await recommendations.ForAsync(p.Id, 5, ct) is { List: var list } built)
            {
                var reviewed = built.Request.Decisions.Select(d => d.InterventionId).ToHashSet(StringComparer.Ordinal);
                open = list.Items.Count(i => !reviewed.Contains(i.Intervention.Id));
                top = safety.Alerts(built.Request.Patient).FirstOrDefault();
            }
            entries.Add(new CaseloadEntry(p.Id, p.AgeBand, p.Sex, p.Sync?.LastMeasurementAt, p.Sync?.LastStatus ?? "never-synced",
                p.Sync?.LastAttemptAt, open, top?.Level, top));
        }
        // Triage: the most urgent alert first, the newest of a level first; patients without alerts by their last measurement.
        entries = entries.OrderByDescending(e => Urgency(e.HighestAlert))
            .ThenByDescending(e => e.TopAlert is { } a ? a.Date.ToDateTime(TimeOnly.MinValue) : e.LastMeasurementAt ?? DateTime.MinValue)
            .ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        await audit.RecordAsync(user, null, "caseload.read", "allowed", $"{entries.Count} patients with measurements and suggestions", ct);
        return TypedResults.Ok<IReadOnlyList<CaseloadEntry>>(entries);
    }

    private static int Urgency(string? level) => level switch { "critical" => 3, "warning" => 2, "info" => 1, _ => 0 };

    public static async Task<Ok<IReadOnlyDictionary<string, IReadOnlyList<SeriesPoint>>>> GetSeries(
        string id, IObservationStore store, TimeProvider clock, CancellationToken ct)
    {
        var state = await store.LoadAsync(id, ct);
        var series = Charted.ToDictionary(f => f, _ => new List<SeriesPoint>());
        foreach (var stored in state?.Observations ?? [])
        {
            Observation observation;
            try
            {
                observation = FhirJson.Parse<Observation>(stored.Json);
            }
            catch (FormatException)
            {
                continue; // the sync already reported it as skipped
            }
            // Mapping one observation at a time reuses the library's codes, units and plausibility checks per reading.
            var snapshot = FeatureMapper.Map(id, "stored", [observation], clock.GetUtcNow());
            foreach (var feature in Charted)
            {
                if (snapshot[feature] is { Value: { } value, Effective: var at })
                    series[feature].Add(new SeriesPoint(at, value));
            }
        }
        // A year back from each feature's newest reading, so old records still draw a chart.
        return TypedResults.Ok<IReadOnlyDictionary<string, IReadOnlyList<SeriesPoint>>>(series.ToDictionary(s => s.Key, s =>
        {
            var newest = s.Value.Count == 0 ? default : s.Value.Max(p => p.At);
            return (IReadOnlyList<SeriesPoint>)s.Value.Where(p => p.At >= newest.AddDays(-365)).OrderBy(p => p.At).ToList();
        }));
    }
}

/// <summary>
/// One caseload row; <c>OpenSuggestions</c> counts current top-five suggestions nobody on the care team has endorsed or hidden yet;
/// <c>HighestAlert</c> is critical, warning, info or null, and <c>TopAlert</c> the alert behind it.
/// </summary>
public sealed record CaseloadEntry(string Id, string? AgeBand, string? Sex, DateTime? LastMeasurementAt, string LastSyncStatus,
    DateTime? LastSyncAt, int OpenSuggestions, string? HighestAlert, AlertView? TopAlert);

public sealed record SeriesPoint(DateTimeOffset At, decimal Value);
