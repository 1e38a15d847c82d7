using System.Collections.Immutable;

namespace Benefit.Fhir.Features;

/// <summary>Where a value came from: the FHIR server, the Observation's id and version, and when it was measured.</summary>
public sealed record FeatureProvenance(string Server, string ObservationId, string? VersionId, DateTimeOffset Effective);

/// <summary>The latest value of one feature. Coded features (smoking) carry <see cref="Category"/> instead of a value.</summary>
/// <param name="Category">Smoking category, or the PHQ-9 / GAD-7 severity band next to the score.</param>
/// <param name="Derived">True when computed from other observations (BMI from weight and height, exercise from days × minutes).</param>
public sealed record FeatureValue(
    string Feature,
    decimal? Value,
    string? Unit,
    string? Category,
    DateTimeOffset Effective,
    bool Derived,
    ImmutableArray<FeatureProvenance> Sources);

/// <summary>Least-squares slope over the 90 days up to the latest reading, per 30 days, with the first and last values.</summary>
public sealed record FeatureTrend(
    string Feature,
    decimal SlopePer30Days,
    decimal First,
    decimal Last,
    DateTimeOffset From,
    DateTimeOffset To,
    int Points);

/// <summary>An observation the mapping did not use, and why (unknown code, unknown unit, implausible value …).</summary>
public sealed record SkippedObservation(string ObservationId, string Reason, string Detail);

/// <summary>Everything the recommender may know about a patient's measurements at one moment; immutable.</summary>
public sealed record FeatureSnapshot(
    string PatientId,
    string Server,
    DateTimeOffset ComputedAt,
    ImmutableDictionary<string, FeatureValue> Features,
    ImmutableDictionary<string, FeatureTrend> Trends,
    int ObservationsUsed,
    ImmutableArray<SkippedObservation> Skipped)
{
    public FeatureValue? this[string feature] => Features.GetValueOrDefault(feature);

    /// <summary>Skipped observations counted per reason, for reports.</summary>
    public ImmutableDictionary<string, int> SkippedByReason =>
        Skipped.GroupBy(s => s.Reason).ToImmutableDictionary(g => g.Key, g => g.Count());
}

/// <summary>Reasons an observation is not used; stable strings for reports and the API.</summary>
public static class SkipReasons
{
    public const string UnknownCode = "unknown-code";
    public const string UnknownUnit = "unknown-unit";
    public const string NoValue = "no-value";
    public const string NoDate = "no-date";
    public const string Implausible = "implausible";
    public const string Cancelled = "cancelled";
    public const string EnteredInError = "entered-in-error";
    public const string NotFinal = "not-final";
    public const string NotAnObservation = "not-an-observation";
    public const string Unparseable = "unparseable";
}
