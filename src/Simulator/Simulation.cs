using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Training;
using Microsoft.Extensions.Time.Testing;

namespace Benefit.Simulator;

/// <summary>
/// The closed loop: simulated patients use the real API week by week, the hidden response model decides what they do, providers
/// report the sessions they attend, a clinician reviews a sample, and every simulated night the service's own jobs run.
/// </summary>
public sealed class Simulation(SimulationOptions options, Action<string>? progress = null)
{
    private const int PatientsPerClinician = 250;
    private const string Admin = "sim-admin", DataScientist = "sim-data-scientist";

    private readonly List<string> _notes = [];

    /// <summary>Runs the whole simulation; a work folder it made itself is deleted afterwards, one that was given is kept.</summary>
    public async Task<SimulationResult> RunAsync(CancellationToken ct = default)
    {
        options.Validate();
        var catalog = InterventionCatalog.Load(Path.Combine(options.DataDirectory, "interventions.json"));
        var truth = new ResponseModel(ResponseModelCoefficients.Load(options.ResponseModelPath), options.Seed);
        var providers = ProviderDirectory.Load(options.DataDirectory);
        if (!providers.FromFile)
            _notes.Add($"no {ProviderDirectory.FileName} in {options.DataDirectory}: every session is reported by provider '{ProviderDirectory.FallbackProvider}'");

        // tmpfs when there is one: a commit's fsync then costs nothing, so the run measures the API's work rather than the disk.
        var work = options.WorkDirectory ?? Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"benefit-sim-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(work, catalog, truth, providers, ct);
        }
        finally
        {
            if (options.WorkDirectory is null)
                Directory.Delete(work, recursive: true);
        }
    }

    private async Task<SimulationResult> RunInAsync(string work, InterventionCatalog catalog, ResponseModel truth, ProviderDirectory providers,
        CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var start = new DateTimeOffset(options.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var clock = new FakeTimeProvider(start.AddHours(-12)); // Sunday noon: enrolment day
        await using var service = new SimulatedService(options, work, clock);
        var adminToken = service.Token(Admin, "admin");
        var dsToken = service.Token(DataScientist, "data-scientist");

        var patients = Population(service);
        var populationSeconds = total.Elapsed.TotalSeconds;
        _ = service.Server; // starts the host: migrations, and the default model unless --start none
        var hostSeconds = total.Elapsed.TotalSeconds - populationSeconds;
        using var http = service.CreateClient();
        var calls = new ServiceCalls(http);
        await EnrolAsync(calls, adminToken, patients, ct);
        var enrolSeconds = total.Elapsed.TotalSeconds - populationSeconds - hostSeconds;
        var (syncSummary, syncSeconds) = await SimulatedNight.RunJobAsync<FhirSyncJob>(service, ct);
        var setupSeconds = total.Elapsed.TotalSeconds;
        _notes.Add(string.Create(CultureInfo.InvariantCulture, $"set-up {setupSeconds:F1} s: population and FHIR bundles {populationSeconds:F1} s, " +
            $"host start {hostSeconds:F1} s, enrol + consent + preferences {enrolSeconds:F1} s ({calls.Requests:N0} requests), " +
            $"fhir-sync job {syncSeconds:F1} s ({syncSummary})"));
        progress?.Invoke(_notes[^1]);

        var prior = PopularityPrior(catalog);
        var keptUpSoFar = new ConcurrentBag<TrainingExample>();
        var scoreboard = new PolicyScoreboard(catalog, truth, options.TopK);
        var behaviour = new PatientBehaviour(calls, truth, catalog, options.Seed);
        var knownVersions = (await calls.ModelsAsync(dsToken, ct)).Select(m => m.Version).ToHashSet(StringComparer.Ordinal);
        var weeks = new List<WeekResult>();

        for (var week = 1; week <= options.Weeks; week++)
        {
            var monday = start.AddDays(7 * (week - 1));
            var requestsBefore = calls.Requests;
            var api = Stopwatch.StartNew();
            var popularity = new PopularityScorer(prior.Concat(keptUpSoFar));
            var guideline = new GuidelineScorer(popularity);
            var counters = new WeekCounters();
            var points = new ConcurrentBag<PolicyPoint>();
            var servedBy = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

            // Monday morning: everyone opens the app and acts on the top k.
            clock.SetUtcNow(monday.AddHours(9));
            await Parallel.ForEachAsync(patients, Parallelism(ct), async (p, token) =>
            {
                var served = await calls.RecommendationsAsync(p, options.TopK, token);
                servedBy.AddOrUpdate(served.ModelVersion ?? "(none: 503)", 1, (_, n) => n + 1);
                if (scoreboard.Score(p, served, clock.GetUtcNow(), popularity, guideline) is { } point) points.Add(point);
                foreach (var item in served.Items.OrderBy(i => i.Rank).Take(options.TopK))
                    await behaviour.ActAsync(p, served.ListId, item, week, clock.GetUtcNow(), counters, token);
            });

            // Wednesday: the care team reviews a sample and endorses the top suggestion.
            clock.SetUtcNow(monday.AddDays(2).AddHours(10));
            await Parallel.ForEachAsync(patients.Where(p => Dice.Uniform(options.Seed, p.Index, week, 1) < options.ReviewShare), Parallelism(ct),
                async (p, token) => await behaviour.ReviewAsync(service, p, clock.GetUtcNow(), counters, token));

            // Sunday evening: providers report this week's attended sessions, each dated when it took place.
            clock.SetUtcNow(monday.AddDays(6).AddHours(21));
            var sessions = patients.SelectMany(p => p.Plans.SelectMany(plan => Enumerable.Range(0, plan.Attended)
                .Where(n => plan.SessionAt(n) >= monday && plan.SessionAt(n) < monday.AddDays(7)).Select(n => (p, plan, n)))).ToList();
            await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = options.ReportParallelism, CancellationToken = ct }, async (s, token) =>
            {
                var (p, plan, n) = s;
                var provider = providers.ProviderOf(plan.Item.Id);
                var eventId = $"{p.Id}-{plan.Item.Id}-w{plan.EnrolWeek}-s{n + 1}";
                var accepted = await calls.ReportSessionAsync(service.Token($"{provider}-reporter", "provider", provider: provider), p.Id, plan.Item.Id,
                    PatientBehaviour.ActivityType(plan.Item), plan.SessionAt(n), eventId, token);
                if (accepted) Interlocked.Increment(ref counters.Reported);
                else Interlocked.Increment(ref counters.Refused);
                // The service can know it was kept up once half the planned sessions are in; popularity counts it from then.
                if (accepted && plan.KeptUp && n + 1 == (int)Math.Ceiling(plan.Item.Intensity.PlannedSessions / 2.0))
                    keptUpSoFar.Add(TrainingExample.For(p.Context, plan.Item.Id, plan.SessionAt(n), label: true));
            });
            api.Stop();

            var night = await SimulatedNight.RunAsync(service, calls, dsToken, knownVersions, monday.AddDays(7), options.SyncEveryWeek, ct);
            var (overall, groups) = PolicyScoreboard.Summarise(points.ToList());
            var pointList = points.ToList();
            var served = pointList.Sum(x => x.Served);
            var result = new WeekResult(week, DateOnly.FromDateTime(monday.UtcDateTime), patients.Count, pointList.Count(x => x.Served > 0),
                string.Join(", ", servedBy.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} ×{kv.Value}")),
                overall, groups, served == 0 ? 0 : pointList.Sum(x => x.Explored) / (double)served,
                counters.Enrolments, counters.KeptUp, counters.Declined, counters.Postponed, counters.Reviews, counters.Reported, counters.Refused,
                calls.Requests - requestsBefore, api.Elapsed.TotalSeconds, night);
            weeks.Add(result);
            progress?.Invoke(ProgressLine(result));
        }

        _notes.Add("API latency summed per route (concurrent, so more than wall time): " + string.Join("; ", calls.Timings
            .OrderByDescending(t => t.Value.Time).Select(t => string.Create(CultureInfo.InvariantCulture,
                $"{t.Key} ×{t.Value.Count:N0} {t.Value.Time.TotalSeconds:F0} s ({t.Value.Time.TotalMilliseconds / t.Value.Count:F1} ms each)"))));
        if (calls.InterventionIdAccepted == false)
            _notes.Add("POST /activities does not accept interventionId yet (400 for an unknown field): sessions were reported without it");
        return new SimulationResult(options, weeks, setupSeconds, total.Elapsed.TotalSeconds, _notes,
            [.. patients.Where(p => !p.TrainingConsent).Select(p => p.Id)], Path.Combine(work, "models"));
    }

    private ParallelOptions Parallelism(CancellationToken ct) => new() { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct };

    /// <summary>New ids (sim-000001 …), never the default model's training patients; measurements end the day before the start.</summary>
    private List<SimulatedPatient> Population(SimulatedService service)
    {
        var asOf = options.StartDate.AddDays(-1);
        var patients = new List<SimulatedPatient>(options.Patients);
        for (var n = 0; n < options.Patients; n++)
        {
            var rng = new Random(unchecked(options.Seed * 7_919 + n * 104_729 + 17));
            var truth = PatientSampler.Sample(rng, $"sim-{n + 1:D6}", asOf.AddDays(-240), asOf);
            var trainingConsent = Dice.Uniform(options.Seed, n, 0, 2) >= options.NoTrainingConsentShare;
            var patient = new SimulatedPatient(n, truth, trainingConsent, $"sim-clinician-{n / PatientsPerClinician + 1}")
            {
                Context = truth.ContextAt(asOf),
            };
            patient.Token = service.Token($"user-{truth.Id}", "patient", patient: truth.Id);
            File.WriteAllText(Path.Combine(service.FhirFolder, truth.Id + ".json"), FhirBundleBuilder.Build(truth, asOf).ToJson());
            patients.Add(patient);
        }
        return patients;
    }

    private async Task EnrolAsync(ServiceCalls calls, string adminToken, List<SimulatedPatient> patients, CancellationToken ct)
    {
        await Parallel.ForEachAsync(patients, Parallelism(ct), async (p, token) =>
        {
            await calls.EnrolAsync(adminToken, p, token);
            await calls.ConsentAsync(p, token);
            await calls.PreferencesAsync(p, p.Truth.Preferences, token);
        });
    }

    /// <summary>What "popular" means before the loop has outcomes of its own: the kept-up rows of the service's bootstrap cohort.</summary>
    private List<TrainingExample> PopularityPrior(InterventionCatalog catalog)
    {
        var retrain = new RetrainOptions();
        var cohort = new CohortGenerator(catalog, new CohortOptions { Patients = retrain.CohortPatients, Interactions = retrain.CohortInteractions, Seed = options.Seed });
        var perPatient = (double)retrain.CohortInteractions / retrain.CohortPatients;
        return [.. Enumerable.Range(0, retrain.CohortPatients).SelectMany(n => cohort.Patient(n, perPatient).History)
            .Where(i => i.Outcome == Outcome.KeptUp).Select(TrainingExample.From)];
    }

    private static string ProgressLine(WeekResult w) => string.Create(CultureInfo.InvariantCulture,
        $"week {w.Week,2} {w.Monday:yyyy-MM-dd}  loop {w.Overall.Loop:F3}  random {w.Overall.Random:F3}  pop {w.Overall.Popularity:F3}  " +
        $"rules {w.Overall.Guideline:F3}  oracle {w.Overall.Oracle:F3}  G loop {w.Overall.LoopGain:F3}  " +
        $"G SES low/mid/high {string.Join("/", new[] { "low", "mid", "high" }.Select(b => w.Groups.FirstOrDefault(g => g.Dimension == "SES band" && g.Group == b)?.LoopGain ?? double.NaN).Select(g => g.ToString("F2", CultureInfo.InvariantCulture)))}  " +
        $"explore {w.ExplorationShare:P0}  enrol {w.Enrolments} decl {w.Declined} sessions {w.SessionsReported}  " +
        $"rows {w.Night.RowsLearned?.ToString(CultureInfo.InvariantCulture) ?? "-"} +{w.Night.Promoted}/-{w.Night.Rejected}  " +
        $"api {w.ApiSeconds:F1}s ({w.Requests:N0} req) night {w.Night.Seconds:F1}s");
}
