using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Features;

/// <summary>Turns an intervention into the fixed-length vector of the FFM's intervention-attribute field (values in [0, 1]).</summary>
public static class AttributeFeatures
{
    public static readonly string[] Names =
    [
        .. Enum.GetNames<InterventionCategory>(),
        .. Enum.GetNames<Guidance>(), .. Enum.GetNames<Delivery>(), .. Enum.GetNames<Setting>(),
        .. Enum.GetNames<ProviderKind>().Select(k => k + " provider"),
        "weeks", "sessions per week", "minutes per session", "minutes per week", "free", "cost",
        .. Enum.GetNames<RiskTarget>().Select(t => "targets " + t),
        "needs clearance",
    ];

    public static int Length => Names.Length;

    public static float[] Encode(Intervention item)
    {
        var v = new float[Length];
        var i = 0;
        foreach (var c in Enum.GetValues<InterventionCategory>()) v[i++] = item.Category == c ? 1 : 0;
        foreach (var g in Enum.GetValues<Guidance>()) v[i++] = item.Format.Guidance == g ? 1 : 0;
        foreach (var d in Enum.GetValues<Delivery>()) v[i++] = item.Format.Delivery == d ? 1 : 0;
        foreach (var s in Enum.GetValues<Setting>()) v[i++] = item.Format.Setting == s ? 1 : 0;
        foreach (var k in Enum.GetValues<ProviderKind>()) v[i++] = item.Provider.Kind == k ? 1 : 0;
        v[i++] = Scale(item.Intensity.Weeks, 52);
        v[i++] = Scale(item.Intensity.SessionsPerWeek, 7);
        v[i++] = Scale(item.Intensity.MinutesPerSession, 180);
        v[i++] = Scale(item.Intensity.MinutesPerWeek, 300);
        v[i++] = item.CostEuroCents == 0 ? 1 : 0;
        v[i++] = Scale(item.CostEuroCents, 30000);
        foreach (var t in Enum.GetValues<RiskTarget>()) v[i++] = item.Targets.Contains(t) ? 1 : 0;
        v[i++] = item.Safety.NeedsClinicianClearance ? 1 : 0;
        return v;
    }

    private static float Scale(double x, double max) => (float)Math.Clamp(x / max, 0, 1);
}
