namespace Benefit.Fhir.Features;

internal static class Trends
{
    /// <summary>Slope per 30 days by least squares over the readings in the window ending at the latest one; null with fewer than two days of data.</summary>
    public static FeatureTrend? Compute(string feature, IReadOnlyList<Reading> readings, TimeSpan window)
    {
        var valued = readings.Where(r => r.Value is not null).ToList();
        if (valued.Count < 2)
            return null;
        var to = valued.Max(r => r.Effective);
        var points = valued.Where(r => r.Effective >= to - window)
            .OrderBy(r => r.Effective).ThenBy(r => r.Source.ObservationId, StringComparer.Ordinal).ToList();
        if (points.Count < 2 || (points[^1].Effective - points[0].Effective) < TimeSpan.FromDays(1))
            return null;

        var from = points[0].Effective;
        var xs = points.Select(p => (p.Effective - from).TotalDays).ToArray();
        var ys = points.Select(p => (double)p.Value!.Value).ToArray();
        var meanX = xs.Average();
        var meanY = ys.Average();
        var sxy = xs.Zip(ys).Sum(p => (p.First - meanX) * (p.Second - meanY));
        var sxx = xs.Sum(x => (x - meanX) * (x - meanX));
        var slopePerDay = sxy / sxx;
        return new FeatureTrend(feature, Math.Round((decimal)(slopePerDay * 30), 2, MidpointRounding.AwayFromZero),
            points[0].Value!.Value, points[^1].Value!.Value, from, points[^1].Effective, points.Count);
    }
}
