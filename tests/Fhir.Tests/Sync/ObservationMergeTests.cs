using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Hl7.Fhir.Model;

namespace Benefit.Fhir.Tests.Sync;

public class ObservationMergeTests
{
    private static Observation Version(string id, string version, decimal kg, int minute, ObservationStatus status = ObservationStatus.Final)
    {
        var o = Obs.Quantity("29463-7", kg, "kg", id: id, status: status);
        o.Meta = new Meta { VersionId = version, LastUpdated = Obs.Day0.AddMinutes(minute) };
        return o;
    }

    [Fact]
    public void The_same_id_and_version_twice_is_one_observation_and_no_change()
    {
        var first = ObservationMerge.Apply([], [Version("a", "1", 80, 0)]);

        var again = ObservationMerge.Apply(first.Observations, [Version("a", "1", 80, 0), Version("a", "1", 80, 0)]);

        Assert.Single(again.Observations);
        Assert.Equal(0, again.Changed);
    }

    [Fact]
    public void A_new_version_replaces_the_old_one()
    {
        var first = ObservationMerge.Apply([], [Version("a", "1", 80, 0)]);

        var merged = ObservationMerge.Apply(first.Observations, [Version("a", "2", 79, 5, ObservationStatus.Amended)]);

        Assert.Equal(("2", 1), (Assert.Single(merged.Observations).VersionId, merged.Changed));
    }

    [Fact]
    public void An_older_version_arriving_late_is_ignored()
    {
        var current = ObservationMerge.Apply([], [Version("a", "2", 79, 5)]);

        var merged = ObservationMerge.Apply(current.Observations, [Version("a", "1", 80, 0)]);

        Assert.Equal(("2", 0), (Assert.Single(merged.Observations).VersionId, merged.Changed));
    }

    [Fact]
    public void Entered_in_error_removes_the_observation()
    {
        var current = ObservationMerge.Apply([], [Version("a", "1", 80, 0), Version("b", "1", 81, 0)]);

        var merged = ObservationMerge.Apply(current.Observations, [Version("a", "2", 80, 5, ObservationStatus.EnteredInError)]);

        Assert.Equal(["b"], merged.Observations.Select(o => o.Id));
        Assert.Equal(1, merged.Changed);
    }

    [Fact]
    public void A_cancelled_version_is_kept_so_the_earlier_final_value_stops_counting()
    {
        var current = ObservationMerge.Apply([], [Version("a", "1", 80, 0)]);

        var merged = ObservationMerge.Apply(current.Observations, [Version("a", "2", 80, 5, ObservationStatus.Cancelled)]);

        Assert.Contains("\"cancelled\"", Assert.Single(merged.Observations).Json);
    }
}
