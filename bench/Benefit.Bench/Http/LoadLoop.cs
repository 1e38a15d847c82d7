using System.Collections.Concurrent;
using System.Diagnostics;

namespace Benefit.Bench.Http;

/// <summary>What a timed run measured: completed operations per second, latency percentiles and the outcome mix.</summary>
internal sealed record LoadResult(int Clients, TimeSpan Measured, long Operations, double P50Ms, double P99Ms, double MaxMs,
    IReadOnlyDictionary<string, long> Outcomes)
{
    public double PerSecond => Operations / Measured.TotalSeconds;

    public string Mix => string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {100.0 * o.Value / Math.Max(1, Operations):F1}%"));
}

/// <summary>
/// A closed-loop load: each client sends its next request as soon as the previous one answered. Only operations that
/// start after the warm-up (tiered JIT still compiles for several seconds, connection pools, SQLite page cache) and finish inside the window are counted.
/// </summary>
internal static class LoadLoop
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan warmUp, TimeSpan duration,
        Func<int, long, CancellationToken, Task<string>> operation)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = warmUp;
        var stopAt = warmUp + duration;
        var latencies = new List<double>[clients];
        var outcomes = new ConcurrentDictionary<string, long>();
        using var cancel = new CancellationTokenSource(stopAt + TimeSpan.FromSeconds(30));
        long sequence = 0;

        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (clock.Elapsed < stopAt)
            {
                var n = Interlocked.Increment(ref sequence);
                var started = clock.Elapsed;
                var outcome = await operation(worker, n, cancel.Token);
                var finished = clock.Elapsed;
                if (started < measureFrom || finished > stopAt)
                    continue;
                mine.Add((finished - started).TotalMilliseconds);
                outcomes.AddOrUpdate(outcome, 1, (_, c) => c + 1);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(clients, duration, all.Length, Report.Percentile(all, 50), Report.Percentile(all, 99),
            all.Length == 0 ? double.NaN : all[^1], outcomes);
    }
}
