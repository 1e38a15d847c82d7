namespace Benefit.Fhir.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root, found from the test binaries by looking for Benefit.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Benefit.sln")))
                return dir.FullName;
        }
        // With --artifacts-path the binaries live outside the repo; the working directory is the test project.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Benefit.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Benefit.sln not found above the test binaries or the working directory.");
    }
}
