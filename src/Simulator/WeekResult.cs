using Benefit.Recommender.Training;

namespace Benefit.Simulator;

/// <summary>One patient's week: true keep-up value of the served list's top k and of each baseline's top k over the same allowed items.</summary>
public sealed record PolicyPoint(int Patient, Subgroup Group, double Loop, double Random, double Popularity, double Guideline, double Oracle, int Served, int Explored);

/// <summary>Mean values over a set of patients; G = (value − random) / (oracle − random).</summary>
public sealed record PolicyMeans(string Dimension, string Group, int Count, double Loop, double Random, double Popularity, double Guideline, double Oracle)
{
    public double Gain(double value) => Oracle - Random <= 0 || double.IsNaN(value) ? double.NaN : (value - Random) / (Oracle - Random);
    public double LoopGain => Gain(Loop);
    public double PopularityGain => Gain(Popularity);
    public double GuidelineGain => Gain(Guideline);

    public static PolicyMeans Of(string dimension, string group, IReadOnlyCollection<PolicyPoint> points) => new(dimension, group, points.Count,
        Mean(points.Select(p => p.Loop)), Mean(points.Select(p => p.Random)), Mean(points.Select(p => p.Popularity)),
        Mean(points.Select(p => p.Guideline)), Mean(points.Select(p => p.Oracle)));

    private static double Mean(IEnumerable<double> values)
    {
        var list = values.Where(v => !double.IsNaN(v)).ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }
}

/// <summary>What the service learned overnight, read back through GET /models.</summary>
public sealed record NightResult(int Promoted, int Rejected, long? RowsLearned, string? LiveRows, string Champion, string Summary, double Seconds);

public sealed record WeekResult(
    int Week, DateOnly Monday, int Patients, int ListsServed, string ServedBy,
    PolicyMeans Overall, IReadOnlyList<PolicyMeans> Groups,
    double ExplorationShare, int Enrolments, int KeptUp, int Declined, int Postponed, int Reviews,
    int SessionsReported, int SessionsRefused, long Requests, double ApiSeconds, NightResult Night);

/// <summary>The weeks, timings and notes; <see cref="ModelDirectory"/> is where the nightly retrain wrote its models (gone unless --work was given).</summary>
public sealed record SimulationResult(SimulationOptions Options, IReadOnlyList<WeekResult> Weeks, double SetupSeconds, double TotalSeconds,
    IReadOnlyList<string> Notes, IReadOnlyList<string> PatientsWithoutTrainingConsent, string ModelDirectory);
