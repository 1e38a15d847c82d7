using Benefit.Recommender.Evaluation;

namespace Benefit.Recommender.Training;

/// <summary>The comparison a data scientist reads: challenger against champion on the same holdout.</summary>
public sealed record PromotionDecision(bool Promote, string Reason, double ChampionNdcg5, double ChallengerNdcg5,
    double ChampionSesGap, double ChallengerSesGap, IReadOnlyList<SubgroupChange> Subgroups)
{
    /// <summary>Which comparisons the decision rested on: nDCG@5 and subgroups, and the off-policy value when there was enough evidence for it.</summary>
    public string DecidedBy { get; init; } = "";
    public double? ChampionOffPolicyValue { get; init; }
    public double? ChallengerOffPolicyValue { get; init; }
}

public sealed record SubgroupChange(string Dimension, string Group, double Champion, double Challenger)
{
    public double Change => Challenger - Champion;
}

/// <summary>Challenger and champion on the lists the service served: overall and per socio-economic band.</summary>
public sealed record OffPolicyComparison(OffPolicyEstimate Champion, OffPolicyEstimate Challenger,
    IReadOnlyList<(string Band, OffPolicyEstimate Champion, OffPolicyEstimate Challenger)> Bands);

/// <summary>
/// Two ways to judge, and the card says which decided:
/// <list type="bullet">
/// <item><b>On the lists the service served</b> (the live holdout, when both off-policy estimates rest on enough evidence):
/// the challenger's off-policy value (<see cref="OffPolicy"/>) must not be worse than the champion's by more than the
/// tolerance, overall and in every socio-economic band, and the gap between the bands must not grow — each band's
/// allowance widened to 1/√(effective sample) when its evidence is thin, so noise alone does not decide. nDCG@5 among
/// the shown items is reported, not deciding: it only says how a model orders the champion's own picks.</item>
/// <item><b>Otherwise</b> (a holdout without propensities, such as the prior's): nDCG@5 not worse by more than the
/// tolerance, the largest gap between socio-economic groups not larger, and no subgroup dropping by more than it.</item>
/// </list>
/// Either way a model that helps the well-off and hurts the rest is not promoted.
/// </summary>
public static class PromotionPolicy
{
    public const string SesDimension = "SES band";
    public const string ByOffPolicy = "off-policy value on served lists, overall and per SES band", ByNdcg = "nDCG@5 and subgroups";

    public static PromotionDecision Decide(RankerResult champion, RankerResult challenger, double tolerance, OffPolicyComparison? offPolicy = null)
    {
        var changes = challenger.Subgroups
            .Join(champion.Subgroups, c => (c.Dimension, c.Group), p => (p.Dimension, p.Group),
                (c, p) => new SubgroupChange(c.Dimension, c.Group, p.Metrics.Ndcg5, c.Metrics.Ndcg5))
            .ToList();
        var championGap = champion.LargestGap.GetValueOrDefault(SesDimension);
        var challengerGap = challenger.LargestGap.GetValueOrDefault(SesDimension);
        var ndcg = $"nDCG@5 {champion.Overall.Ndcg5:F3} → {challenger.Overall.Ndcg5:F3}, SES gap {championGap:F3} → {challengerGap:F3}";

        var problems = new List<string>();
        string summary;
        if (offPolicy is { } ope)
        {
            if (ope.Challenger.Value < ope.Champion.Value - tolerance)
                problems.Add($"the off-policy value on served lists fell from {ope.Champion.Value:F3} to {ope.Challenger.Value:F3} (tolerance {tolerance:F3})");
            var allowance = ope.Bands.ToDictionary(b => b.Band, b => Math.Max(tolerance, 1 / Math.Sqrt(Math.Max(1, b.Challenger.EffectiveSampleSize))));
            foreach (var (band, before, after) in ope.Bands.Where(b => b.Challenger.Value < b.Champion.Value - allowance[b.Band]))
                problems.Add($"SES band '{band}' fell from {before.Value:F3} to {after.Value:F3} (allowance {allowance[band]:F3})");
            var gapBefore = Gap(ope.Bands.Select(b => b.Champion.Value));
            var gapAfter = Gap(ope.Bands.Select(b => b.Challenger.Value));
            var gapAllowance = ope.Bands.Count == 0 ? tolerance : allowance.Values.Max();
            if (gapAfter > gapBefore + gapAllowance)
                problems.Add($"the gap between socio-economic bands grew from {gapBefore:F3} to {gapAfter:F3} (allowance {gapAllowance:F3})");
            summary = $"off-policy value {ope.Champion.Value:F3} → {ope.Challenger.Value:F3}, SES bands "
                      + string.Join(", ", ope.Bands.Select(b => $"{b.Band} {b.Champion.Value:F3} → {b.Challenger.Value:F3}"))
                      + $"; for information {ndcg}";
        }
        else
        {
            if (challenger.Overall.Ndcg5 < champion.Overall.Ndcg5 - tolerance)
                problems.Add($"nDCG@5 fell from {champion.Overall.Ndcg5:F3} to {challenger.Overall.Ndcg5:F3} (tolerance {tolerance:F3})");
            if (challengerGap > championGap + tolerance)
                problems.Add($"the gap between socio-economic groups grew from {championGap:F3} to {challengerGap:F3}");
            foreach (var drop in changes.Where(c => c.Change < -tolerance))
                problems.Add($"{drop.Dimension} '{drop.Group}' dropped from {drop.Champion:F3} to {drop.Challenger:F3}");
            summary = $"{ndcg}, no subgroup dropped more than {tolerance:F3}";
        }

        var reason = problems.Count == 0 ? "promoted: " + summary : "rejected: " + string.Join("; ", problems);
        return new PromotionDecision(problems.Count == 0, reason, champion.Overall.Ndcg5, challenger.Overall.Ndcg5, championGap, challengerGap, changes)
        {
            DecidedBy = offPolicy is null ? ByNdcg : ByOffPolicy,
            ChampionOffPolicyValue = offPolicy?.Champion.Value,
            ChallengerOffPolicyValue = offPolicy?.Challenger.Value,
        };
    }

    private static double Gap(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count < 2 ? 0 : list.Max() - list.Min();
    }
}
