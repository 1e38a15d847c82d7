using Benefit.Fhir.Features;
using Benefit.Fhir.Tests.Support;
using Hl7.Fhir.Model;

namespace Benefit.Fhir.Tests.Features;

public class FeatureMapperTests
{
    private static FeatureSnapshot Map(params Observation[] observations) =>
        FeatureMapper.Map("p", "http://server", observations, Obs.Day0.AddDays(365));

    [Fact]
    public void Latest_value_wins_and_keeps_its_provenance()
    {
        var old = Obs.Quantity("29463-7", 90, "kg", day: 0, id: "w-old");
        var latest = Obs.Quantity("29463-7", 88, "kg", day: 10, id: "w-new");
        latest.Meta!.VersionId = "7";

        var weight = Map(old, latest)[FeatureNames.Weight]!;

        Assert.Equal(88m, weight.Value);
        Assert.Equal("kg", weight.Unit);
        Assert.Equal(Obs.Day0.AddDays(10), weight.Effective);
        Assert.Equal(new FeatureProvenance("http://server", "w-new", "7", Obs.Day0.AddDays(10)), Assert.Single(weight.Sources));
    }

    [Theory]
    [InlineData("29463-7", 185, "[lb_av]", FeatureNames.Weight, 83.91)]
    [InlineData("29463-7", 82500, "g", FeatureNames.Weight, 82.5)]
    [InlineData("3141-9", 80, "kg", FeatureNames.Weight, 80)]
    [InlineData("8302-2", 66.9, "[in_i]", FeatureNames.Height, 169.93)]
    [InlineData("8302-2", 1.78, "m", FeatureNames.Height, 178)]
    [InlineData("8280-0", 40, "[in_i]", FeatureNames.Waist, 101.6)]
    [InlineData("56086-2", 95, "cm", FeatureNames.Waist, 95)]
    [InlineData("18262-6", 116, "mg/dL", FeatureNames.Ldl, 3)]
    [InlineData("13457-7", 2.6, "mmol/L", FeatureNames.Ldl, 2.6)]
    [InlineData("2093-3", 200, "mg/dL", FeatureNames.TotalCholesterol, 5.17)]
    [InlineData("2085-9", 50, "mg/dL", FeatureNames.Hdl, 1.29)]
    [InlineData("59261-8", 48, "mmol/mol", FeatureNames.HbA1c, 6.54)]
    [InlineData("4548-4", 6.1, "%", FeatureNames.HbA1c, 6.1)]
    [InlineData("8867-4", 62, "/min", FeatureNames.HeartRate, 62)]
    [InlineData("41950-7", 8500, "/d", FeatureNames.Steps, 8500)]
    [InlineData("82290-8", 150, "min/wk", FeatureNames.Exercise, 150)]
    [InlineData("80458-3", 2, "/d", FeatureNames.Fruit, 2)]
    [InlineData("80460-9", 3, "{servings}/d", FeatureNames.Vegetables, 3)]
    public void Units_are_converted_to_the_canonical_unit(string code, decimal value, string unit, string feature, decimal expected)
    {
        Assert.Equal(expected, Map(Obs.Quantity(code, value, unit))[feature]!.Value);
    }

    [Fact]
    public void Free_text_units_without_a_ucum_code_are_understood()
    {
        var o = Obs.Quantity("29463-7", 200, "x");
        o.Value = new Quantity { Value = 200, Unit = "lbs" };

        Assert.Equal(90.72m, Map(o)[FeatureNames.Weight]!.Value);
    }

    [Theory]
    [InlineData("85354-9")]
    [InlineData("55284-4")]
    public void Blood_pressure_is_read_from_the_panel_and_the_legacy_panel(string panel)
    {
        var snapshot = Map(Obs.BloodPressure(152, 94, panel: panel));

        Assert.Equal(152m, snapshot[FeatureNames.SystolicBp]!.Value);
        Assert.Equal(94m, snapshot[FeatureNames.DiastolicBp]!.Value);
    }

    [Theory]
    [InlineData("29463-7", 5, "kg")]
    [InlineData("29463-7", 900, "kg")]
    [InlineData("8302-2", 25, "cm")]
    [InlineData("8867-4", 400, "/min")]
    [InlineData("39156-5", 120, "kg/m2")]
    [InlineData("4548-4", 45, "%")]
    [InlineData("44261-6", 30, "{score}")]
    public void Physiologically_implausible_values_are_rejected_and_reported(string code, decimal value, string unit)
    {
        var snapshot = Map(Obs.Quantity(code, value, unit, id: "bad"));

        Assert.Empty(snapshot.Features);
        var skipped = Assert.Single(snapshot.Skipped);
        Assert.Equal(("bad", SkipReasons.Implausible), (skipped.ObservationId, skipped.Reason));
    }

    [Fact]
    public void Blood_pressure_with_systolic_not_above_diastolic_is_rejected()
    {
        var snapshot = Map(Obs.BloodPressure(80, 90));

        Assert.Null(snapshot[FeatureNames.SystolicBp]);
        Assert.Equal(SkipReasons.Implausible, Assert.Single(snapshot.Skipped).Reason);
    }

    [Fact]
    public void Unknown_codes_and_units_and_missing_values_are_counted_never_fatal()
    {
        var unknownCode = Obs.Quantity("2345-7", 5.5m, "mmol/L", id: "glucose");
        var unknownUnit = Obs.Quantity("29463-7", 12, "[stone_av]", id: "stone");
        var noValue = Obs.Quantity("8867-4", 60, "/min", id: "empty");
        noValue.Value = null;
        var good = Obs.Quantity("8867-4", 60, "/min", id: "hr");

        var snapshot = Map(unknownCode, unknownUnit, noValue, good);

        Assert.Equal(60m, snapshot[FeatureNames.HeartRate]!.Value);
        Assert.Equal(1, snapshot.ObservationsUsed);
        Assert.Equal(1, snapshot.SkippedByReason[SkipReasons.UnknownCode]);
        Assert.Equal(1, snapshot.SkippedByReason[SkipReasons.UnknownUnit]);
        Assert.Equal(1, snapshot.SkippedByReason[SkipReasons.NoValue]);
    }

    [Theory]
    [InlineData(ObservationStatus.Cancelled, SkipReasons.Cancelled)]
    [InlineData(ObservationStatus.EnteredInError, SkipReasons.EnteredInError)]
    [InlineData(ObservationStatus.Preliminary, SkipReasons.NotFinal)]
    public void Observations_that_are_not_final_do_not_count(ObservationStatus status, string reason)
    {
        var snapshot = Map(Obs.Quantity("29463-7", 80, "kg", status: status));

        Assert.Empty(snapshot.Features);
        Assert.Equal(reason, Assert.Single(snapshot.Skipped).Reason);
    }

    [Theory]
    [InlineData(ObservationStatus.Amended)]
    [InlineData(ObservationStatus.Corrected)]
    public void Amended_and_corrected_observations_count(ObservationStatus status)
    {
        Assert.Equal(80m, Map(Obs.Quantity("29463-7", 80, "kg", status: status))[FeatureNames.Weight]!.Value);
    }

    [Fact]
    public void Bmi_is_derived_from_weight_and_height_when_absent()
    {
        var snapshot = Map(Obs.Quantity("29463-7", 81, "kg", day: 5, id: "w"), Obs.Quantity("8302-2", 180, "cm", day: 1, id: "h"));

        var bmi = snapshot[FeatureNames.Bmi]!;
        Assert.Equal(25m, bmi.Value);
        Assert.True(bmi.Derived);
        Assert.Equal(["w", "h"], bmi.Sources.Select(s => s.ObservationId));
    }

    [Fact]
    public void A_measured_bmi_is_not_replaced_by_a_derived_one()
    {
        var snapshot = Map(Obs.Quantity("29463-7", 81, "kg"), Obs.Quantity("8302-2", 180, "cm"), Obs.Quantity("39156-5", 24.9m, "kg/m2"));

        Assert.Equal(24.9m, snapshot[FeatureNames.Bmi]!.Value);
        Assert.False(snapshot[FeatureNames.Bmi]!.Derived);
    }

    [Theory]
    [InlineData("449868002", SmokingCategory.CurrentEveryDay)]
    [InlineData("428041000124106", SmokingCategory.CurrentSomeDays)]
    [InlineData("8517006", SmokingCategory.Former)]
    [InlineData("266919005", SmokingCategory.Never)]
    [InlineData("77176002", SmokingCategory.Current)]
    [InlineData("266927001", SmokingCategory.Unknown)]
    [InlineData("428071000124103", SmokingCategory.CurrentHeavy)]
    [InlineData("428061000124105", SmokingCategory.CurrentLight)]
    public void Smoking_category_comes_from_the_snomed_answer(string snomed, string category)
    {
        var smoking = Map(Obs.Smoking(snomed))[FeatureNames.Smoking]!;

        Assert.Equal(category, smoking.Category);
        Assert.Null(smoking.Value);
    }

    [Theory]
    [InlineData("44261-6", 4, "minimal")]
    [InlineData("44261-6", 9, "mild")]
    [InlineData("44261-6", 10, "moderate")]
    [InlineData("44261-6", 19, "moderately-severe")]
    [InlineData("44261-6", 27, "severe")]
    [InlineData("70274-6", 0, "minimal")]
    [InlineData("70274-6", 5, "mild")]
    [InlineData("70274-6", 14, "moderate")]
    [InlineData("70274-6", 15, "severe")]
    public void Phq9_and_gad7_totals_get_their_severity_band(string code, int score, string band)
    {
        var feature = code == "44261-6" ? FeatureNames.Phq9 : FeatureNames.Gad7;

        var value = Map(Obs.Score(code, score))[feature]!;

        Assert.Equal((score, band), ((int)value.Value!.Value, value.Category));
    }

    [Fact]
    public void A_phq9_panel_gives_its_total_from_the_component()
    {
        var panel = Obs.Score("44249-1", 0);
        panel.Value = null;
        panel.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(Obs.Loinc, "44261-6"), Value = new Integer(12) });

        Assert.Equal(12m, Map(panel)[FeatureNames.Phq9]!.Value);
    }

    [Fact]
    public void Exercise_is_derived_from_days_a_week_times_minutes_a_day()
    {
        var exercise = Map(Obs.Quantity("89555-7", 3, "d/wk", id: "days"), Obs.Quantity("68516-4", 40, "min/d", id: "minutes"))[FeatureNames.Exercise]!;

        Assert.Equal((120m, true), (exercise.Value, exercise.Derived));
    }

    [Fact]
    public void Trend_is_the_slope_per_30_days_over_the_last_90_days()
    {
        var snapshot = Map(
            Obs.Quantity("29463-7", 200, "kg", day: 0, id: "outside-window"),
            Obs.Quantity("29463-7", 90, "kg", day: 100, id: "a"),
            Obs.Quantity("29463-7", 89, "kg", day: 130, id: "b"),
            Obs.Quantity("29463-7", 88, "kg", day: 160, id: "c"));

        var trend = snapshot.Trends[FeatureNames.Weight];
        Assert.Equal((-1m, 90m, 88m, 3), (trend.SlopePer30Days, trend.First, trend.Last, trend.Points));
    }

    [Fact]
    public void Blood_pressure_trends_come_from_the_panels()
    {
        var snapshot = Map(Obs.BloodPressure(150, 95, day: 0), Obs.BloodPressure(140, 90, day: 30), Obs.BloodPressure(130, 85, day: 60));

        Assert.Equal(-10m, snapshot.Trends[FeatureNames.SystolicBp].SlopePer30Days);
        Assert.Equal(-5m, snapshot.Trends[FeatureNames.DiastolicBp].SlopePer30Days);
    }

    [Fact]
    public void One_reading_gives_no_trend()
    {
        Assert.Empty(Map(Obs.Quantity("41950-7", 5000, "/d")).Trends);
    }
}
