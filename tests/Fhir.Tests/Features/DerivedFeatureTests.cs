using Benefit.Fhir.Features;
using Benefit.Fhir.Tests.Support;
using Hl7.Fhir.Model;

namespace Benefit.Fhir.Tests.Features;

/// <summary>Derived values, categories, bands and trends.</summary>
public class DerivedFeatureTests
{
    private static FeatureSnapshot Map(params Observation[] observations) =>
        FeatureMapper.Map("p", "http://server", observations, Obs.Day0.AddDays(365));

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
