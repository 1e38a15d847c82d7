using Benefit.Recommender.Evaluation;

namespace Benefit.Recommender.Training;

/// <summary>The comparison a data scientist reads: challenger against champion on the same holdout.</summary>
public sealed record PromotionDecision(bool Promote, string Reason, double ChampionNdcg5, double ChallengerNdcg5,
    double ChampionSesGap, double ChallengerSesGap, IReadOnlyList<SubgroupChange> Subgroups);

public sealed record SubgroupChange(string Dimension, string Group, double Champion, double Challenger)
{
    public double Change => Challenger - Champion;
}

/// <summary>
/// Promote only when nDCG@5 is not worse than the champion's by more than the tolerance, the largest gap between
/// socio-economic groups does not grow (beyond the tolerance), and no subgroup drops by more than the tolerance.
/// A model that helps the well-off and hurts the rest is not promoted.
/// </summary>
public static class PromotionPolicy
{
    public const string SesDimension = "SES band";

    public static PromotionDecision Decide(RankerResult champion, RankerResult challenger, double tolerance)
    {
        var changes = challenger.Subgroups
            .Join(champion.Subgroups, c => (c.Dimension, c.Group), p => (p.Dimension, p.Group),
                (c, p) => new SubgroupChange(c.Dimension, c.Group, p.Metrics.Ndcg5, c.Metrics.Ndcg5))
            .ToList();
        var championGap = champion.LargestGap.GetValueOrDefault(SesDimension);
        var challengerGap = challenger.LargestGap.GetValueOrDefault(SesDimension);

        var problems = new List<string>();
        if (challenger.Overall.Ndcg5 < champion.Overall.Ndcg5 - tolerance)
            problems.Add($"nDCG@5 fell from {champion.Overall.Ndcg5:F3} to {challenger.Overall.Ndcg5:F3} (tolerance {tolerance:F3})");
        if (challengerGap > championGap + tolerance)
            problems.Add($"the gap between socio-economic groups grew from {championGap:F3} to {challengerGap:F3}");
        foreach (var drop in changes.Where(c => c.Change < -tolerance))
            problems.Add($"{drop.Dimension} '{drop.Group}' dropped from {drop.Champion:F3} to {drop.Challenger:F3}");

        var reason = problems.Count == 0
            ? $"promoted: nDCG@5 {champion.Overall.Ndcg5:F3} → {challenger.Overall.Ndcg5:F3}, SES gap {championGap:F3} → {challengerGap:F3}, no subgroup dropped more than {tolerance:F3}"
            : "rejected: " + string.Join("; ", problems);
        return new PromotionDecision(problems.Count == 0, reason, champion.Overall.Ndcg5, challenger.Overall.Ndcg5, championGap, challengerGap, changes);
    }
}
