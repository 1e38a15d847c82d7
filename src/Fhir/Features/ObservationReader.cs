using Hl7.Fhir.Model;

namespace Benefit.Fhir.Features;

/// <summary>One converted, range-checked value read from an Observation (a BP panel gives two).</summary>
internal sealed record Reading(string Feature, decimal? Value, string? Category, DateTimeOffset Effective, FeatureProvenance Source);

/// <summary>Turns one Observation into readings in canonical units, or tells why it cannot be used.</summary>
internal static class ObservationReader
{
    public static (IReadOnlyList<Reading> Readings, IReadOnlyList<SkippedObservation> Skipped) Read(Observation o, string server)
    {
        var id = o.Id ?? "(no id)";
        var skipped = new List<SkippedObservation>();
        var readings = new List<Reading>();
        SkippedObservation Skip(string reason, string detail) => new(id, reason, detail);

        switch (o.Status)
        {
            case ObservationStatus.Cancelled: return ([], [Skip(SkipReasons.Cancelled, "status cancelled")]);
            case ObservationStatus.EnteredInError: return ([], [Skip(SkipReasons.EnteredInError, "status entered-in-error")]);
            case ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected: break;
            default: return ([], [Skip(SkipReasons.NotFinal, $"status {o.Status?.ToString() ?? "missing"}")]);
        }

        var loinc = o.Code?.Coding.Where(c => c.System == FeatureCatalog.Loinc && c.Code is not null).Select(c => c.Code!).ToList() ?? [];
        var code = loinc.FirstOrDefault(c => FeatureCatalog.ByCode.ContainsKey(c) || FeatureCatalog.BloodPressurePanels.Contains(c) || c == FeatureCatalog.SmokingCode);
        if (code is null)
            return ([], [Skip(SkipReasons.UnknownCode, loinc.Count == 0 ? "no LOINC coding" : string.Join(",", loinc))]);

        if (EffectiveOf(o) is not { } effective)
            return ([], [Skip(SkipReasons.NoDate, code)]);
        var source = new FeatureProvenance(server, id, o.Meta?.VersionId, effective);

        if (FeatureCatalog.BloodPressurePanels.Contains(code))
        {
            foreach (var part in new[] { FeatureCatalog.SystolicCode, FeatureCatalog.DiastolicCode })
            {
                var component = o.Component.FirstOrDefault(c => HasLoinc(c.Code, part));
                Add(part, component?.Value, $"{code}/{part}");
            }
            if (readings.Count == 2 && readings[0].Value <= readings[1].Value)
                return ([], [Skip(SkipReasons.Implausible, $"systolic {readings[0].Value} not above diastolic {readings[1].Value}")]);
        }
        else if (code == FeatureCatalog.SmokingCode)
        {
            var answer = (o.Value as CodeableConcept)?.Coding
                .Where(c => c.System == FeatureCatalog.Snomed).Select(c => c.Code).FirstOrDefault(c => c is not null && FeatureCatalog.SmokingCategories.ContainsKey(c));
            if (answer is null)
                skipped.Add(Skip(o.Value is null ? SkipReasons.NoValue : SkipReasons.UnknownCode, "smoking status answer is not a known SNOMED code"));
            else
                readings.Add(new(FeatureNames.Smoking, null, FeatureCatalog.SmokingCategories[answer], effective, source));
        }
        else
        {
            var value = o.Value;
            if (value is null && FeatureCatalog.ScorePanels.TryGetValue(code, out var totalCode))
                value = o.Component.FirstOrDefault(c => HasLoinc(c.Code, totalCode))?.Value;
            Add(code, value, code);
        }
        return (readings, skipped);

        void Add(string featureCode, DataType? value, string what)
        {
            var definition = FeatureCatalog.ByCode[featureCode];
            var (raw, unit) = value switch
            {
                Quantity q when q.Value is not null => (q.Value, UnitOf(q)),
                Integer i when i.Value is not null => ((decimal?)i.Value, null),
                FhirDecimal d when d.Value is not null => (d.Value, null),
                _ => ((decimal?)null, null),
            };
            if (raw is null)
            {
                skipped.Add(Skip(SkipReasons.NoValue, what));
                return;
            }
            Func<decimal, decimal>? convert = null;
            if (unit is null ? !definition.UnitOptional : !definition.Units.TryGetValue(unit, out convert))
            {
                skipped.Add(Skip(SkipReasons.UnknownUnit, $"{what} in '{unit ?? "(none)"}'"));
                return;
            }
            var canonical = Math.Round(convert is null ? raw.Value : convert(raw.Value), 2, MidpointRounding.AwayFromZero);
            if (canonical < definition.Min || canonical > definition.Max)
            {
                skipped.Add(Skip(SkipReasons.Implausible, $"{what} {canonical} {definition.Unit} outside {definition.Min}–{definition.Max}"));
                return;
            }
            readings.Add(new(definition.Feature, canonical, null, effective, source));
        }
    }

    /// <summary>The UCUM code when there is one, else the free-text unit mapped through known aliases.</summary>
    private static string? UnitOf(Quantity q)
    {
        var unit = q.Code ?? q.Unit;
        if (unit is null)
            return null;
        return FeatureCatalog.UnitAliases.TryGetValue(unit, out var ucum) ? ucum : unit;
    }

    private static bool HasLoinc(CodeableConcept? concept, string code) =>
        concept?.Coding.Any(c => c.System == FeatureCatalog.Loinc && c.Code == code) == true;

    /// <summary>effectiveDateTime, else the end (or start) of effectivePeriod, else effectiveInstant, else issued; a date without zone is read as UTC.</summary>
    internal static DateTimeOffset? EffectiveOf(Observation o) => o.Effective switch
    {
        FhirDateTime dt when dt.TryToDateTimeOffset(TimeSpan.Zero, out var d) => d,
        Period p when (p.EndElement ?? p.StartElement) is { } x && x.TryToDateTimeOffset(TimeSpan.Zero, out var d) => d,
        Instant i when i.Value is not null => i.Value,
        _ => o.Issued,
    };
}
