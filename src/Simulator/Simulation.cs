using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;
using Microsoft.Extensions.DependencyInjection;
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
        var (syncSummary, syncSeconds) = await RunJobAsync<FhirSyncJob>(service, ct);
        var setupSeconds = total.Elapsed.TotalSeconds;
        _notes.Add(string.Create(CultureInfo.InvariantCulture, $"set-up {setupSeconds:F1} s: population and FHIR bundles {populationSeconds:F1} s, " +
            $"host start {hostSeconds:F1} s, enrol + consent + preferences {enrolSeconds:F1} s ({calls.Requests:N0} requests), " +
            $"fhir-sync job {syncSeconds:F1} s ({syncSummary})"));
        progress?.Invoke(_notes[^1]);

        var prior = PopularityPrior(catalog);
        var keptUpSoFar = new ConcurrentBag<TrainingExample>();
        var scoreboard = new PolicyScoreboard(catalog, truth, options.TopK);
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
                    await ActAsync(calls, truth, catalog, p, served.ListId, item, week, clock.GetUtcNow(), counters, token);
            });

            // Wednesday: the care team reviews a sample and endorses the top suggestion.
            clock.SetUtcNow(monday.AddDays(2).AddHours(10));
            await Parallel.ForEachAsync(patients.Where(p => Dice.Uniform(options.Seed, p.Index, week, 1) < options.ReviewShare), Parallelism(ct),
                async (p, token) => await ReviewAsync(service, calls, p, clock.GetUtcNow(), counters, token));

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
                    ActivityType(plan.Item), plan.SessionAt(n), eventId, token);
                if (accepted) Interlocked.Increment(ref counters.Reported);
                else Interlocked.Increment(ref counters.Refused);
                // The service can know it was kept up once half the planned sessions are in; popularity counts it from then.
                if (accepted && plan.KeptUp && n + 1 == (int)Math.Ceiling(plan.Item.Intensity.PlannedSessions / 2.0))
                    keptUpSoFar.Add(TrainingExample.For(p.Context, plan.Item.Id, plan.SessionAt(n), label: true));
            });
            api.Stop();

            var night = await NightAsync(service, calls, dsToken, knownVersions, monday.AddDays(7), ct);
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

    /// <summary>The hidden response model decides; the patient's app sends the choice the way a person's tap would.</summary>
    private async Task ActAsync(ServiceCalls calls, ResponseModel truth, InterventionCatalog catalog, SimulatedPatient p, string? listId,
        ServedItem served, int week, DateTimeOffset now, WeekCounters counters, CancellationToken ct)
    {
        if (catalog.Find(served.InterventionId) is not { } item) return;
        var c = truth.Coefficients;
        var salt = ResponseModel.StableHash(item.Id);
        double U(int what) => Dice.Uniform(options.Seed, p.Index, week, salt ^ what);
        var keepUp = truth.KeepUpProbability(p.Truth, p.Context, item);
        var planned = item.Intensity.PlannedSessions;

        if (U(10) < keepUp || U(11) < c.DroppedShare)
        {
            var kept = U(10) < keepUp;
            var attended = kept ? (int)Math.Ceiling(planned * (0.5 + 0.5 * U(12))) : (int)(planned * 0.5 * U(12));
            await calls.ChooseAsync(p, item.Id, "enrol", listId, ct);
            lock (p)
            {
                p.Choices.Add(new PatientChoice(item.Id, ChoiceKind.Enrol, now));
                p.Plans.Add(new Plan(item, week, now, Math.Min(attended, planned), kept));
            }
            Interlocked.Increment(ref counters.Enrolments);
            if (kept) Interlocked.Increment(ref counters.KeptUp);
        }
        else if (U(13) < c.DeclinedShare)
        {
            await calls.ChooseAsync(p, item.Id, "not-for-me", listId, ct);
            lock (p) p.Choices.Add(new PatientChoice(item.Id, ChoiceKind.NotForMe, now));
            Interlocked.Increment(ref counters.Declined);
        }
        else if (U(14) < c.PostponedShare)
        {
            await calls.ChooseAsync(p, item.Id, "not-now", listId, ct);
            lock (p) p.Choices.Add(new PatientChoice(item.Id, ChoiceKind.NotNow, now));
            Interlocked.Increment(ref counters.Postponed);
        }
    }

    private static async Task ReviewAsync(SimulatedService service, ServiceCalls calls, SimulatedPatient p, DateTimeOffset now, WeekCounters counters,
        CancellationToken ct)
    {
        var token = service.Token(p.Clinician, "clinician");
        var suggestions = await calls.ReviewAsync(token, p.Id, ct);
        Interlocked.Increment(ref counters.Reviews);
        if (suggestions.Count == 0) return;
        var top = suggestions[0];
        lock (p)
        {
            if (p.Decisions.Any(d => d.InterventionId == top && d.Action == ClinicianAction.Endorse)) return;
            p.Decisions.Add(new ClinicianDecision(top, ClinicianAction.Endorse, now));
        }
        await calls.DecideAsync(token, p.Id, "endorse", top, ct);
    }

    /// <summary>
    /// One night per simulated week (Sunday to Monday, 02:30 Amsterdam): the retrain (and the sync when asked) through the app's own
    /// job classes and their run guard; then what the registry says about the night's model.
    /// </summary>
    private async Task<NightResult> NightAsync(SimulatedService service, ServiceCalls calls, string dsToken, HashSet<string> known,
        DateTimeOffset monday, CancellationToken ct)
    {
        service.Clock.SetUtcNow(monday.AddHours(1).AddMinutes(30));
        var watch = Stopwatch.StartNew();
        if (options.SyncEveryWeek) await RunJobAsync<FhirSyncJob>(service, ct);
        var (summary, _) = await RunJobAsync<RetrainJob>(service, ct);
        await RunJobAsync<PointsExpiryJob>(service, ct);
        var seconds = watch.Elapsed.TotalSeconds;

        var models = await calls.ModelsAsync(dsToken, ct);
        var fresh = models.Where(m => known.Add(m.Version)).ToList();
        long? rows = null;
        string? live = null;
        foreach (var model in fresh)
        {
            var card = (await calls.ModelAsync(dsToken, model.Version, ct)).GetProperty("card");
            if (Find(card, "trainRows") is { } r && r.TryGetInt64(out var n)) rows = (rows ?? 0) + n;
            foreach (var name in new[] { "liveRows", "priorRows" })
                if (Find(card, name) is { } v) live = (live is null ? "" : live + " ") + $"{name} {v}";
        }
        var champion = models.FirstOrDefault(m => m.Status == ModelStatus.Champion)?.Version ?? "(none)";
        return new NightResult(fresh.Count(m => m.Status == ModelStatus.Champion || m.PromotedAt is not null),
            fresh.Count(m => m.Status == ModelStatus.Rejected), rows, live, champion, summary, seconds);
    }

    /// <summary>The first property of that name anywhere in a model card (the training notes may sit at the top or in a section).</summary>
    private static System.Text.Json.JsonElement? Find(System.Text.Json.JsonElement element, string name)
    {
        if (element.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            if (element.TryGetProperty(name, out var direct)) return direct;
            foreach (var property in element.EnumerateObject())
                if (property.Value.ValueKind == System.Text.Json.JsonValueKind.Object && Find(property.Value, name) is { } found) return found;
        }
        return null;
    }

    private static async Task<(string Summary, double Seconds)> RunJobAsync<TJob>(SimulatedService service, CancellationToken ct) where TJob : GuardedJob
    {
        var watch = Stopwatch.StartNew();
        await using var scope = service.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<TJob>().RunAsync(null, ct);
        return (summary, watch.Elapsed.TotalSeconds);
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

    /// <summary>The points rule a provider reports an attended session under.</summary>
    private static string ActivityType(Intervention item) => item.Category switch
    {
        InterventionCategory.PhysicalActivity => "exercise-session",
        InterventionCategory.BloodPressureMonitoring => "bp-self-measurement",
        InterventionCategory.Nutrition when item.Format.Setting == Setting.Group => "dietician-group-session",
        _ when item.Format.Guidance == Guidance.Guided => "coaching-session-attended",
        _ => "course-module-completed",
    };

    private static string ProgressLine(WeekResult w) => string.Create(CultureInfo.InvariantCulture,
        $"week {w.Week,2} {w.Monday:yyyy-MM-dd}  loop {w.Overall.Loop:F3}  random {w.Overall.Random:F3}  pop {w.Overall.Popularity:F3}  " +
        $"rules {w.Overall.Guideline:F3}  oracle {w.Overall.Oracle:F3}  G loop {w.Overall.LoopGain:F3}  " +
        $"G SES low/mid/high {string.Join("/", new[] { "low", "mid", "high" }.Select(b => w.Groups.FirstOrDefault(g => g.Dimension == "SES band" && g.Group == b)?.LoopGain ?? double.NaN).Select(g => g.ToString("F2", CultureInfo.InvariantCulture)))}  " +
        $"explore {w.ExplorationShare:P0}  enrol {w.Enrolments} decl {w.Declined} sessions {w.SessionsReported}  " +
        $"rows {w.Night.RowsLearned?.ToString(CultureInfo.InvariantCulture) ?? "-"} +{w.Night.Promoted}/-{w.Night.Rejected}  " +
        $"api {w.ApiSeconds:F1}s ({w.Requests:N0} req) night {w.Night.Seconds:F1}s");

    private sealed class WeekCounters
    {
        public int Enrolments, KeptUp, Declined, Postponed, Reviews, Reported, Refused;
    }
}
