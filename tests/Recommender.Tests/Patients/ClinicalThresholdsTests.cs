using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using static Benefit.Recommender.Tests.Serving.ServingTestData;

namespace Benefit.Recommender.Tests.Patients;

public sealed class ClinicalThresholdsTests
{
    private static readonly DateOnly Day = new(2026, 11, 9);
    private static readonly ClinicalThresholds Table = ClinicalThresholds.Load(Path.Combine(TestData.RepoRoot, "data", "clinical-thresholds.json"));

    private static PatientContext With(params (ClinicalFeature Feature, Measurement Measurement)[] observations) => Patient() with
    {
        Observations = observations.ToDictionary(o => o.Feature, o => o.Measurement),
    };

    [Fact]
    public void The_data_file_loads_and_is_the_copy_compiled_into_the_library()
    {
        Assert.Equal(Table.Version, ClinicalThresholds.Default.Version);
        Assert.Equal(Table.Lines, ClinicalThresholds.Default.Lines);
        Assert.All(Table.Lines, l => Assert.False(string.IsNullOrWhiteSpace(l.Source)));
        Assert.All(Enum.GetValues<Contraindication>(), c => Assert.False(string.IsNullOrWhiteSpace(Table.Describe(c).Why)));
    }

    [Theory]
    [InlineData(184, 112, AlertLevel.Critical)]
    [InlineData(150, 112, AlertLevel.Critical)]
    [InlineData(152, 94, AlertLevel.Warning)]
    [InlineData(128, 90, AlertLevel.Warning)]
    public void Blood_pressure_reaches_the_critical_line_at_180_110_and_the_warning_line_at_140_90(double sys, double dia, AlertLevel level)
    {
        var alert = Table.Check(ClinicalFeature.BloodPressure, new Measurement(sys, Day, dia), "male");
        Assert.Equal(level, alert?.Level);
        Assert.Contains(level == AlertLevel.Critical ? "≥ 180/110 mmHg" : "≥ 140/90 mmHg", alert!.Summary);
        Assert.Null(Table.Check(ClinicalFeature.BloodPressure, new Measurement(132, Day, 84), "male"));
    }

    [Fact]
    public void Alerts_come_critical_first_with_value_unit_date_threshold_and_source()
    {
        var alerts = Table.Alerts(With(
            (ClinicalFeature.LdlMmolPerL, new Measurement(3.0, Day)),
            (ClinicalFeature.Phq9, new Measurement(16, Day.AddDays(-10))),
            (ClinicalFeature.BloodPressure, new Measurement(184, Day.AddDays(-20), 112)),
            (ClinicalFeature.StepsPerDay, new Measurement(2000, Day))));

        Assert.Equal([AlertLevel.Critical, AlertLevel.Warning, AlertLevel.Info], alerts.Select(a => a.Level));
        Assert.Equal("BP 184/112 mmHg on 20 Oct 2026 (≥ 180/110 mmHg: grade 3 hypertension: no vigorous training until treated)", alerts[0].Summary);
        Assert.Contains("ESC", alerts[0].Line.Source);
        Assert.Contains("Kroenke", alerts[1].Line.Source);
    }

    [Fact]
    public void Waist_lines_apply_by_sex()
    {
        var waist = new Measurement(95, Day);
        Assert.Null(Table.Check(ClinicalFeature.WaistCm, waist, "male"));
        Assert.Equal(AlertLevel.Info, Table.Check(ClinicalFeature.WaistCm, waist, "female")?.Level);
    }

    [Fact]
    public void The_contraindications_are_the_critical_BP_and_PHQ9_lines_with_the_measurement_behind_them()
    {
        var found = Table.MeasuredContraindications(With(
            (ClinicalFeature.BloodPressure, new Measurement(181, Day, 100)), (ClinicalFeature.Phq9, new Measurement(20, Day))));
        Assert.Equal(AlertLevel.Critical, found[Contraindication.UncontrolledHypertension].Level);
        Assert.Equal(AlertLevel.Critical, found[Contraindication.SevereDepression].Level);
        Assert.Empty(Table.MeasuredContraindications(With(
            (ClinicalFeature.BloodPressure, new Measurement(179, Day, 109)), (ClinicalFeature.Phq9, new Measurement(19, Day)))));
    }

    [Fact]
    public void The_safety_filter_follows_the_table_it_is_given_so_the_two_cannot_disagree()
    {
        var stricter = Path.GetTempFileName();
        try
        {
            var json = File.ReadAllText(Path.Combine(TestData.RepoRoot, "data", "clinical-thresholds.json"))
                .Replace("\"atLeast\": 180, \"secondaryAtLeast\": 110", "\"atLeast\": 170, \"secondaryAtLeast\": 105", StringComparison.Ordinal);
            File.WriteAllText(stricter, json);
            var catalog = InterventionCatalog.Load(TestData.InterventionsPath);
            var request = new RecommendationRequest(Patient(systolic: 175, diastolic: 100));

            var byDefault = SafetyFilter.Apply(catalog.Items, request, Now, new RecommendationOptions()).Excluded;
            var byStricter = SafetyFilter.Apply(catalog.Items, request, Now, new RecommendationOptions { Thresholds = ClinicalThresholds.Load(stricter) }).Excluded;

            Assert.DoesNotContain(byDefault, e => e.Kind == ExclusionKind.Contraindicated);
            var running = Assert.Single(byStricter, e => e.InterventionId == "pa-running-start");
            Assert.Equal(AlertLevel.Critical, Assert.Single(running.Contraindications).Measured!.Level);
        }
        finally
        {
            File.Delete(stricter);
        }
    }

    [Fact]
    public void The_lowest_lines_are_the_treatment_targets_the_reasons_quote()
    {
        double Lowest(ClinicalFeature f) => Table.Lines.Where(l => l.Feature == f).Min(l => l.AtLeast);
        var bp = Table.Lines.Where(l => l.Feature == ClinicalFeature.BloodPressure).MinBy(l => l.AtLeast)!;

        Assert.True(Targets.BloodPressureHigh(new Measurement(bp.AtLeast, Day, 0)) && Targets.BloodPressureHigh(new Measurement(0, Day, bp.SecondaryAtLeast)));
        Assert.False(Targets.BloodPressureHigh(new Measurement(bp.AtLeast - 1, Day, bp.SecondaryAtLeast - 1)));
        Assert.True(Targets.LdlHigh(new Measurement(Lowest(ClinicalFeature.LdlMmolPerL), Day)));
        Assert.False(Targets.LdlHigh(new Measurement(Lowest(ClinicalFeature.LdlMmolPerL) - 0.01, Day)));
        Assert.True(Targets.HbA1cHigh(new Measurement(Lowest(ClinicalFeature.HbA1cPercent), Day)));
        Assert.False(Targets.HbA1cHigh(new Measurement(Lowest(ClinicalFeature.HbA1cPercent) - 0.01, Day)));
        Assert.True(Targets.MoodLow(new Measurement(Lowest(ClinicalFeature.Phq9), Day)));
        Assert.False(Targets.MoodLow(new Measurement(Lowest(ClinicalFeature.Phq9) - 1, Day)));
        Assert.True(Targets.AnxietyHigh(new Measurement(Lowest(ClinicalFeature.Gad7), Day)));
        Assert.False(Targets.AnxietyHigh(new Measurement(Lowest(ClinicalFeature.Gad7) - 1, Day)));
    }
}
