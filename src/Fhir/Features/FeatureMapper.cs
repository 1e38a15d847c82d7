using System.Collections.Immutable;
using Hl7.Fhir.Model;

namespace Benefit.Fhir.Features;

/// <summary>Maps a patient's current observations to a <see cref="FeatureSnapshot"/>; pure, so it is the same for every source.</summary>
public static class FeatureMapper
{
    public static readonly TimeSpan TrendWindow = TimeSpan.FromDays(90);

    public static FeatureSnapshot Map(string patientId, string server, IEnumerable<Observation> observations, DateTimeOffset computedAt)
    {
        var readings = new List<Reading>();
        var skipped = ImmutableArray.CreateBuilder<SkippedObservation>();
        var used = 0;
        foreach (var observation in observations)
        {
            var (r, s) = ObservationReader.Read(observation, server);
            readings.AddRange(r);
            skipped.AddRange(s);
            if (r.Count > 0)
                used++;
        }

        var byFeature = readings.GroupBy(r => r.Feature).ToDictionary(g => g.Key, g => g.ToList());
        var features = ImmutableDictionary.CreateBuilder<string, FeatureValue>();
        foreach (var (feature, list) in byFeature)
        {
            if (feature is FeatureNames.ExerciseDaysPerWeek or FeatureNames.ExerciseMinutesPerDay)
                continue;
            features[feature] = Latest(list, feature);
        }
        AddDerivedBmi(features);
        AddDerivedExercise(features, byFeature);

        var trends = ImmutableDictionary.CreateBuilder<string, FeatureTrend>();
        foreach (var feature in FeatureNames.Trended)
        {
            if (byFeature.TryGetValue(feature, out var list) && Trends.Compute(feature, list, TrendWindow) is { } trend)
                trends[feature] = trend;
        }

        return new FeatureSnapshot(patientId, server, computedAt, features.ToImmutable(), trends.ToImmutable(), used, skipped.ToImmutable());
    }

    /// <summary>Latest by effective date; ties go to the lowest Observation id so the result does not depend on server order.</summary>
    private static FeatureValue Latest(List<Reading> list, string feature)
    {
        var r = list.OrderByDescending(x => x.Effective).ThenBy(x => x.Source.ObservationId, StringComparer.Ordinal).First();
        var category = r.Category ?? feature switch
        {
            FeatureNames.Phq9 => SeverityBands.Phq9(r.Value!.Value),
            FeatureNames.Gad7 => SeverityBands.Gad7(r.Value!.Value),
            _ => null,
        };
        var unit = r.Value is null ? null : UnitOf(feature);
        return new FeatureValue(feature, r.Value, unit, category, r.Effective, Derived: false, [r.Source]);
    }

    private static string UnitOf(string feature) =>
        FeatureCatalog.ByCode.Values.First(d => d.Feature == feature).Unit;

    /// <summary>BMI = kg / m², from the latest weight and height, only when no BMI was measured.</summary>
    private static void AddDerivedBmi(ImmutableDictionary<string, FeatureValue>.Builder features)
    {
        if (features.ContainsKey(FeatureNames.Bmi)
            || features.GetValueOrDefault(FeatureNames.Weight) is not { Value: { } kg } weight
            || features.GetValueOrDefault(FeatureNames.Height) is not { Value: { } cm } height)
            return;
        var metres = cm / 100;
        var bmi = Math.Round(kg / (metres * metres), 2, MidpointRounding.AwayFromZero);
        if (bmi is < 10 or > 80)
            return;
        features[FeatureNames.Bmi] = new FeatureValue(FeatureNames.Bmi, bmi, "kg/m2", null, weight.Effective, Derived: true,
            [.. weight.Sources, .. height.Sources]);
    }

    /// <summary>Minutes a week = days a week × minutes a day, when both were answered within a day and no 82290-8 is newer.</summary>
    private static void AddDerivedExercise(ImmutableDictionary<string, FeatureValue>.Builder features, Dictionary<string, List<Reading>> byFeature)
    {
        if (!byFeature.TryGetValue(FeatureNames.ExerciseDaysPerWeek, out var days) || !byFeature.TryGetValue(FeatureNames.ExerciseMinutesPerDay, out var minutes))
            return;
        var d = days.MaxBy(x => x.Effective)!;
        var m = minutes.MaxBy(x => x.Effective)!;
        if ((d.Effective - m.Effective).Duration() > TimeSpan.FromDays(1))
            return;
        var effective = d.Effective > m.Effective ? d.Effective : m.Effective;
        if (features.GetValueOrDefault(FeatureNames.Exercise) is { } measured && measured.Effective >= effective)
            return;
        features[FeatureNames.Exercise] = new FeatureValue(FeatureNames.Exercise, d.Value * m.Value, "min/wk", null, effective, Derived: true, [d.Source, m.Source]);
    }
}
