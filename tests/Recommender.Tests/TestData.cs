using System.Runtime.CompilerServices;

namespace Benefit.Recommender.Tests;

/// <summary>Locates the repository's data files; builds with --artifacts-path run outside the repo, so start from this source file.</summary>
internal static class TestData
{
    public static string RepoRoot { get; } = FindRoot();

    public static string InterventionsPath => Path.Combine(RepoRoot, "data", "interventions.json");

    public static string DemoPatientsPath => Path.Combine(RepoRoot, "data", "demo", "patients.json");

    public static string DefaultModelPath => Path.Combine(RepoRoot, "models", "default");

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new FileInfo(sourceFile).Directory; dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Benefit.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("Benefit.sln not found above " + sourceFile);
    }
}
