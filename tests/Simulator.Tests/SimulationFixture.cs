using System.Runtime.CompilerServices;

namespace Benefit.Simulator.Tests;

/// <summary>One small seeded closed-loop run (≈ 300 patients, 6 weeks, SQLite) shared by the tests that read its result.</summary>
public sealed class SimulationFixture : IAsyncLifetime
{
    public static string RepoRoot { get; } = FindRoot();

    public string Work { get; } = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"benefit-sim-test-{Guid.NewGuid():N}");

    public SimulationResult Result { get; private set; } = null!;

    public static SimulationOptions Options(string work) => new()
    {
        Patients = 300, Weeks = 6, Seed = 42, TopK = 3,
        DataDirectory = Path.Combine(RepoRoot, "data"),
        ResponseModelPath = Path.Combine(RepoRoot, "data", "response-model.json"),
        WorkDirectory = work,
        OutDirectory = Path.Combine(work, "out"),
    };

    public async Task InitializeAsync() => Result = await new Simulation(Options(Work)).RunAsync();

    public Task DisposeAsync()
    {
        if (Directory.Exists(Work)) Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new FileInfo(sourceFile).Directory; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Benefit.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("Benefit.sln not found above " + sourceFile);
    }
}
