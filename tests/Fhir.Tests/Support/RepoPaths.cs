using System.Runtime.CompilerServices;

namespace Benefit.Fhir.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root, from this source file's compile-time path (binaries may live under --artifacts-path).</summary>
    public static string Root { get; } = Find();

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new FileInfo(sourceFile).Directory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Benefit.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Benefit.sln not found above {sourceFile}.");
    }
}
