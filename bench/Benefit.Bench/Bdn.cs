using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
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
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(o.Text("artifacts", Path.Combine(Path.GetTempPath(), "benefit-bench-artifacts")))
            .WithOptions(ConfigOptions.DisableLogFile);
        return BenchmarkRunner.Run<T>(config);
    }

    /// <summary>Mean time in nanoseconds and allocated bytes per operation of one benchmark method.</summary>
    public static (double MeanNs, long? Allocated) Of(Summary summary, string method)
    {
        var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
        var mean = report.ResultStatistics?.Mean ?? double.NaN;
        return (mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase));
    }
}
