using Benefit.Recommender.Serving;

namespace Benefit.Api.Recommendations;

/// <summary>The three one-click choices a patient makes, as stored and as the recommender reads them.</summary>
public static class ChoiceKinds
{
    public const string Enrol = "enrol", NotForMe = "not-for-me", NotNow = "not-now";
    public static readonly string[] All = [Enrol, NotForMe, NotNow];

    public static ChoiceKind Parse(string kind) => kind switch
    {
        Enrol => ChoiceKind.Enrol,
        NotForMe => ChoiceKind.NotForMe,
        _ => ChoiceKind.NotNow,
    };
}
