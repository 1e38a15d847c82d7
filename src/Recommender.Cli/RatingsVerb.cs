namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    public static int EvaluateRatings(Args args) => throw new ArgumentException("evaluate-ratings: not built yet");
}
