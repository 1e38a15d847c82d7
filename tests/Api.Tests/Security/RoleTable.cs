using System.Text.RegularExpressions;

namespace Benefit.Api.Tests.Security;

/// <summary>
/// The role table of docs/security.md, read as data: one row per route, one cell per role. The tests walk it, so the
/// document and the service cannot drift apart.
/// </summary>
public sealed record RoleTableRow(string Method, string Template, IReadOnlyDictionary<string, string> Cells)
{
    public static readonly string[] Roles = ["anonymous", "patient", "clinician", "provider", "data-scientist", "admin"];

    /// <summary>Cells that let the caller through (on the right patient, for own/team).</summary>
    public static readonly string[] Allowing = ["yes", "public", "own", "team", "support", "aggregates"];

    public string Route => $"{Method} {Template}";

    public override string ToString() => Route;

    public static IReadOnlyList<RoleTableRow> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "security.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| route |", StringComparison.Ordinal));
        if (header < 0) throw new InvalidOperationException("docs/security.md has no role table (a line starting with '| route |').");
        var roles = Split(lines[header]).Skip(1).ToArray();
        if (!roles.SequenceEqual(Roles)) throw new InvalidOperationException($"Role table columns are {string.Join(", ", roles)}.");

        var rows = new List<RoleTableRow>();
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = Split(line);
            var route = Regex.Match(cells[0], "^`(GET|POST|PUT|DELETE) (\\S+)`$");
            if (!route.Success) throw new InvalidOperationException($"Role table row '{line}' does not start with `METHOD /path`.");
            var byRole = roles.Zip(cells.Skip(1)).ToDictionary(p => p.First, p => p.Second);
            foreach (var (role, cell) in byRole)
                if (cell != "—" && !Allowing.Contains(cell))
                    throw new InvalidOperationException($"Role table cell '{cell}' ({route.Value}, {role}) is not one of —, {string.Join(", ", Allowing)}.");
            rows.Add(new RoleTableRow(route.Groups[1].Value, route.Groups[2].Value, byRole));
        }
        return rows;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Benefit.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Benefit.sln not found above the test folder.");
    }

    private static string[] Split(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];
}
