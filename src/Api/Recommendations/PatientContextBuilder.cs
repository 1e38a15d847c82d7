using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Api.Patients;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using Microsoft.EntityFrameworkCore;
using ServingChoice = Benefit.Recommender.Serving.PatientChoice;

namespace Benefit.Api.Recommendations;

/// <summary>Builds the recommender's request from what the API holds: demographics, the last complete FHIR snapshot, preferences, choices, decisions.</summary>
public sealed class PatientContextBuilder(BenefitDb db, IObservationStore observations, RecommendationOptions rules, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The request for <paramref name="patientId"/> and the sync state it was built from (read once); null for an unknown patient.</summary>
    public async Task<(RecommendationRequest Request, PatientSyncState? Sync)?> BuildAsync(string patientId, int limit, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
            return null;
        var consent = await db.Consents.AsNoTracking().FirstOrDefaultAsync(c => c.PatientId == patientId, ct);
        var prefs = await db.Preferences.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, ct);
        var sync = await observations.LoadAsync(patientId, ct);
        var snapshot = sync?.Snapshot;

        var context = new PatientContext
        {
            PatientId = patient.Id,
            AgeBand = patient.AgeBand ?? "unknown",
            Sex = patient.Sex ?? "unknown",
            SocioEconomicBand = patient.SocioEconomicBand ?? "unknown",
            Language = patient.Language,
            PersonalisationConsent = consent?.Personalisation ?? false,
            Preferences = prefs is null ? new Preferences() : JsonSerializer.Deserialize<Preferences>(prefs.Json, Json) ?? new Preferences(),
            Observations = snapshot is null ? new Dictionary<ClinicalFeature, Measurement>() : Map(snapshot),
            KnownConditions = PatientConditions.Parse(patient.KnownConditions),
        };
        var decisions = await db.ReviewDecisions.AsNoTracking().Where(d => d.PatientId == patientId && d.InterventionId != null)
            .OrderBy(d => d.Id).ToListAsync(ct);
        var choices = await db.Choices.AsNoTracking().Where(c => c.PatientId == patientId).OrderBy(c => c.Id).ToListAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime - rules.RestingWindow;
        var shown = await db.Impressions.AsNoTracking().Where(i => i.PatientId == patientId && i.ServedAt >= since)
            .Join(db.ServedLists, i => i.ListId, l => l.ListId, (i, l) => new { i.InterventionId, i.ListId, i.ServedAt }).ToListAsync(ct);

        var request = new RecommendationRequest(context, limit)
        {
            Decisions = decisions.Select(d => (d, Action: ReviewKinds.ToAction(d.Kind))).Where(x => x.Action is not null)
                .Select(x => new ClinicianDecision(x.d.InterventionId!, x.Action!.Value, new DateTimeOffset(x.d.At, TimeSpan.Zero))).ToList(),
            Choices = choices.Select(c => new ServingChoice(c.InterventionId, ChoiceKinds.Parse(c.Kind), new DateTimeOffset(c.At, TimeSpan.Zero))).ToList(),
            // Shown in enough recent lists, and no answer of any kind since it was first shown in the window.
            Resting = shown.GroupBy(s => s.InterventionId)
                .Where(g => g.Select(s => s.ListId).Distinct().Count() >= rules.RestAfterUnansweredLists
                            && !choices.Any(c => c.InterventionId == g.Key && c.At >= g.Min(s => s.ServedAt)))
                .Select(g => g.Key).ToHashSet(StringComparer.Ordinal),
        };
        return (request, sync);
    }

    /// <summary>FHIR snapshot names to the recommender's canonical features; blood pressure pairs systolic with diastolic.</summary>
    public static Dictionary<ClinicalFeature, Measurement> Map(FeatureSnapshot snapshot)
    {
        var result = new Dictionary<ClinicalFeature, Measurement>();
        void Put(ClinicalFeature target, string name)
        {
            if (snapshot[name] is { Value: { } v } f)
                result[target] = new Measurement((double)v, DateOnly.FromDateTime(f.Effective.UtcDateTime));
        }
        if (snapshot[FeatureNames.SystolicBp] is { Value: { } sys } s)
            result[ClinicalFeature.BloodPressure] = new Measurement((double)sys, DateOnly.FromDateTime(s.Effective.UtcDateTime),
                snapshot[FeatureNames.DiastolicBp]?.Value is { } dia ? (double)dia : null);
        Put(ClinicalFeature.BodyMassIndex, FeatureNames.Bmi);
        Put(ClinicalFeature.WeightKg, FeatureNames.Weight);
        Put(ClinicalFeature.WaistCm, FeatureNames.Waist);
        Put(ClinicalFeature.HbA1cPercent, FeatureNames.HbA1c);
        Put(ClinicalFeature.LdlMmolPerL, FeatureNames.Ldl);
        Put(ClinicalFeature.StepsPerDay, FeatureNames.Steps);
        Put(ClinicalFeature.ExerciseMinutesPerWeek, FeatureNames.Exercise);
        Put(ClinicalFeature.Phq9, FeatureNames.Phq9);
        Put(ClinicalFeature.Gad7, FeatureNames.Gad7);
        Put(ClinicalFeature.Stress, FeatureNames.Stress);
        Put(ClinicalFeature.AuditC, FeatureNames.AuditC);
        if (snapshot[FeatureNames.Smoking] is { Category: { } smoking } sm)
            result[ClinicalFeature.CurrentSmoker] = new Measurement(IsCurrentSmoker(smoking) ? 1 : 0, DateOnly.FromDateTime(sm.Effective.UtcDateTime));
        return result;
    }

    private static bool IsCurrentSmoker(string category) =>
        category.StartsWith(SmokingCategory.Current, StringComparison.Ordinal);
}
