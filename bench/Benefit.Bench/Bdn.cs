using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Benefit.Bench;

/// <summary>Runs a BenchmarkDotNet class in-process (no second build of this project) and hands back the summary.</summary>
internal static class Bdn
{
    public static Summary Run<T>(Options o)
    {
        var quick = o.Flag("quick");
        var job = (quick ? Job.Dry.WithIterationCount(3) : Job.Default.WithWarmupCount(3).WithIterationCount(10))
            .WithToolchain(InProcessEmitToolchain.Instance);
        var artifacts = o.Text("artifacts", Path.Combine(Path.GetTempPath(), "benefit-bench-artifacts"));
        Directory.CreateDirectory(artifacts);
        var logPath = Path.Combine(artifacts, $"{typeof(T).Name}.log");
        // The full BenchmarkDotNet log goes to a file; the console gets its summary table only.
        using var log = new StreamLogger(logPath);
        var config = ManualConfig.CreateEmpty()
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(log)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<T>(config);
        MarkdownExporter.Console.ExportToLog(summary, ConsoleLogger.Default);
        Report.Info($"BenchmarkDotNet log: {logPath}");
        return summary;
    }

    /// <summary>Mean time in nanoseconds and allocated bytes per operation of one benchmark method.</summary>
    public static (double MeanNs, long? Allocated) Of(Summary summary, string method)
    {
        var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
        var mean = report.ResultStatistics?.Mean ?? double.NaN;
        return (mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase));
    }
}
