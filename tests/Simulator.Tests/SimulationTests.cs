using Benefit.Recommender.Registry;

namespace Benefit.Simulator.Tests;

public sealed class SimulationTests(SimulationFixture fixture) : IClassFixture<SimulationFixture>
{
    private SimulationResult Result => fixture.Result;

    [Fact]
    public void A_seeded_run_completes_every_week_and_writes_its_table_and_page()
    {
        Assert.Equal(6, Result.Weeks.Count);
        Assert.All(Result.Weeks, w => Assert.Equal(300, w.ListsServed));
        SimulationReport.Write(Result, Path.Combine(fixture.Work, "out"));
        var table = File.ReadAllLines(Path.Combine(fixture.Work, "out", "table.csv"));
        Assert.Equal(7, table.Length);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(fixture.Work, "out", "report.html")));
    }

    [Fact]
    public void Every_week_has_a_policy_value_for_the_loop_and_each_baseline_with_random_no_better_than_the_oracle()
    {
        Assert.All(Result.Weeks, w =>
        {
            foreach (var value in new[] { w.Overall.Loop, w.Overall.Random, w.Overall.Popularity, w.Overall.Guideline, w.Overall.Oracle })
                Assert.InRange(value, 0, 1);
            Assert.True(w.Overall.Random <= w.Overall.Oracle, $"week {w.Week}: random {w.Overall.Random} > oracle {w.Overall.Oracle}");
            Assert.All(w.Groups, g => Assert.True(g.Random <= g.Oracle, $"week {w.Week} {g.Dimension} {g.Group}"));
            Assert.Equal(["SES band", "age band", "sex"], w.Groups.Select(g => g.Dimension).Distinct().Order(StringComparer.Ordinal));
        });
    }

    [Fact]
    public void Providers_reported_attended_sessions_and_a_clinician_reviewed_patients()
    {
        Assert.True(Result.Weeks.Sum(w => w.SessionsReported) > 0);
        Assert.Equal(0, Result.Weeks.Sum(w => w.SessionsRefused));
        Assert.True(Result.Weeks.Sum(w => w.Reviews) > 0);
        Assert.True(Result.Weeks.Sum(w => w.Enrolments + w.Declined + w.Postponed) > 0);
    }

    /// <summary>
    /// Every model the nightly retrain wrote during the run: none knows a patient who withheld training consent by id (a patient's
    /// identity is in the model exactly when they contributed a training row).
    /// </summary>
    [Fact]
    public void Patients_without_training_consent_contributed_no_row_to_any_model_trained_in_the_loop()
    {
        Assert.NotEmpty(Result.PatientsWithoutTrainingConsent);
        var store = new ModelStore(new ModelStoreOptions { Root = Result.ModelDirectory });
        var versions = Directory.GetDirectories(Result.ModelDirectory).Select(Path.GetFileName).OfType<string>().ToList();
        Assert.InRange(versions.Count, 1, 6); // one retrain a simulated night; one that finds too little data may train nothing
        foreach (var version in versions)
        {
            var trainedOn = store.LoadModel(version).Space.PatientIds.ToHashSet(StringComparer.Ordinal);
            Assert.DoesNotContain(Result.PatientsWithoutTrainingConsent, trainedOn.Contains);
        }
    }

    /// <summary>
    /// The loop runs from the service's own tables: the nightly retrain trains models on the simulated patients' own rows
    /// (their ids are in the model), and what the loop serves stays above a random safe list every week. Whether it also
    /// learns fast enough to raise G week by week is the benchmark's question (docs/benchmarks.md); at 300 patients × 6
    /// weeks it does not yet, so that is reported there, not asserted here.
    /// </summary>
    [Fact]
    public void The_loop_trains_on_the_database_rows_and_serves_better_than_random_every_week()
    {
        Assert.All(Result.Weeks, w => Assert.True(w.Overall.Loop > w.Overall.Random, $"week {w.Week}: loop {w.Overall.Loop:F3} ≤ random {w.Overall.Random:F3}"));
        var store = new ModelStore(new ModelStoreOptions { Root = Result.ModelDirectory });
        Assert.Contains(Directory.GetDirectories(Result.ModelDirectory), dir =>
            store.LoadModel(Path.GetFileName(dir)).Space.PatientIds.Any(id => id.StartsWith("sim-", StringComparison.Ordinal)));
        Assert.True(Result.Weeks.Sum(w => w.Night.Promoted + w.Night.Rejected) >= 4, "a challenger is trained and judged most nights");
    }
}

public sealed class ResponseModelFileTests
{
    [Fact]
    public async Task A_response_model_file_with_a_missing_coefficient_is_refused_naming_it()
    {
        var work = Directory.CreateTempSubdirectory("benefit-sim-bad-");
        try
        {
            var text = await File.ReadAllTextAsync(Path.Combine(SimulationFixture.RepoRoot, "data", "response-model.json"));
            var file = Path.Combine(work.FullName, "population.json");
            await File.WriteAllTextAsync(file, text.Replace("\"tasteWeight\": 0.8,", ""));
            var options = SimulationFixture.Options(Path.Combine(work.FullName, "work")) with { ResponseModelPath = file };

            var error = await Assert.ThrowsAsync<InvalidDataException>(() => new Simulation(options).RunAsync());

            Assert.Contains("$.tasteWeight is missing", error.Message);
            Assert.False(Directory.Exists(Path.Combine(work.FullName, "work")), "refused before any service was started");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
