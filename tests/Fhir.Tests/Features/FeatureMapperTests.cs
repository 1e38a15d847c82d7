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
}
