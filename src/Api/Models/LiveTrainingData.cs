using Benefit.Api.Data;
using Benefit.Api.Recommendations;
using Benefit.Loyalty;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Learning;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Training;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Models;

/// <summary>What the service's own tables taught as of a cutoff: training rows, and how many exposures are still open.</summary>
/// <param name="Rows">The training rows: <paramref name="Trainable"/> in the cohort's shape.</param>
/// <param name="Outcomes">Every exposure's outcome as of the cutoff, decided or not.</param>
/// <param name="Trainable">The decided outcomes of settled exposures.</param>
/// <param name="Exposures">Items shown to patients with training consent before the cutoff.</param>
/// <param name="PatientsWithheld">Patients with served lists but without training consent: none of their rows is used.</param>
public sealed record LiveTrainingSet(IReadOnlyList<TrainingExample> Rows, IReadOnlyList<ExposureOutcome> Outcomes, IReadOnlyList<ExposureOutcome> Trainable,
    int Exposures, int PatientsWithheld)
{
    public int Undecided => Outcomes.Count(o => !o.Decided);
    public IReadOnlyDictionary<string, int> ByOutcome => Outcomes.Where(o => o.Decided)
        .GroupBy(o => o.Provisional ? $"{o.Outcome} (provisional)" : o.Outcome.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>
/// Builds the retrain's training set from the API's own tables: the lists served to patients (with the context the model
/// saw then), the items in them and their propensities, the patients' choices and the sessions providers reported — only
/// for patients with training consent, only from before the cutoff — through <see cref="OutcomeRules"/>.
/// </summary>
public sealed class LiveTrainingData(BenefitDb db, PointsLedger ledger, InterventionCatalog catalog)
{
    public async Task<LiveTrainingSet> LoadAsync(DateTimeOffset cutoff, OutcomeRuleOptions rules, CancellationToken ct)
    {
        var before = cutoff.UtcDateTime;
        var consenting = (await db.Consents.AsNoTracking().Where(c => c.Training).Select(c => c.PatientId).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var lists = await db.ServedLists.AsNoTracking().Where(l => l.ServedAt < before).ToListAsync(ct);
        var withheld = lists.Where(l => !consenting.Contains(l.PatientId)).Select(l => l.PatientId).Distinct().Count();
        var contexts = lists.Where(l => consenting.Contains(l.PatientId))
            .ToDictionary(l => l.ListId, l => (Context: ServedContextJson.Read(l.ContextJson), Candidates: ServedContextJson.ReadCandidates(l.CandidatesJson)),
                StringComparer.Ordinal);

        var impressions = await db.Impressions.AsNoTracking().Where(i => i.ServedAt < before)
            .Join(db.ServedLists, i => i.ListId, l => l.ListId, (i, l) => i).ToListAsync(ct);
        var exposures = impressions.Where(i => contexts.ContainsKey(i.ListId))
            .Select(i => new LoggedExposure(i.ListId, i.PatientId, i.InterventionId, Utc(i.ServedAt), i.Rank, i.Propensity, i.Explored, i.ModelVersion,
                contexts[i.ListId].Context) { Candidates = contexts[i.ListId].Candidates })
            .ToList();
        var choices = (await db.Choices.AsNoTracking().Where(c => c.At < before).ToListAsync(ct))
            .Where(c => consenting.Contains(c.PatientId))
            .Select(c => new LoggedChoice(c.PatientId, c.InterventionId, c.Kind, Utc(c.At))).ToList();
        var sessions = (await ledger.InterventionSessionsAsync(cutoff, ct))
            .Where(s => consenting.Contains(s.PatientId))
            .Select(s => new LoggedSession(s.PatientId, s.InterventionId, s.OccurredAt)).ToList();

        var outcomes = OutcomeRules.Derive(exposures, choices, sessions, catalog, cutoff, rules);
        var settled = cutoff.AddDays(-rules.SettleDays);
        List<ExposureOutcome> trainable = [.. outcomes.Where(o => o.Decided && o.Exposure.ServedAt < settled)];
        return new LiveTrainingSet(LiveExamples.From(trainable), outcomes, trainable, exposures.Count, withheld);
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
