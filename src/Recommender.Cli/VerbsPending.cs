namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    public static int Train(Args args) => throw new ArgumentException("train: not built yet");
    public static int Evaluate(Args args) => throw new ArgumentException("evaluate: not built yet");
    public static int EvaluateRatings(Args args) => throw new ArgumentException("evaluate-ratings: not built yet");
}
