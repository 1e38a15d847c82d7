using System.Globalization;

namespace Benefit.Bench;

/// <summary>
/// Every figure is printed as one tab-separated "RESULT" line with the 1-minute load average at that moment;
/// bench/run.sh collects these lines into its summary table, so the numbers in the docs come from one place.
/// </summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Result(string area, string metric, double value, string unit, string target = "", string note = "")
    {
        var formatted = value switch
        {
            >= 1000 => value.ToString("N0", Invariant),
            >= 10 => value.ToString("F1", Invariant),
            _ => value.ToString("F2", Invariant),
        };
        Console.WriteLine(string.Join('\t', "RESULT", area, metric, formatted, unit, target, LoadAverage(), note));
    }

    public static void Info(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>1-minute load average from /proc/loadavg ("n/a" elsewhere).</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", Invariant) + " MB";
}
