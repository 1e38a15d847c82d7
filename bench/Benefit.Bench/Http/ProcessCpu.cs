using System.Globalization;

namespace Benefit.Bench.Http;

/// <summary>
/// CPU seconds a process has used (user + system, from /proc/&lt;pid&gt;/stat). On a shared, loaded machine, CPU time per
/// request is a steadier figure than requests per second: it is what the request costs, not what it was given.
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux distribution we run on

    public static double? Seconds(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
            return null;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>CPU seconds the process uses from <paramref name="from"/> to <paramref name="to"/> after now.</summary>
    public static async Task<double?> DuringAsync(int? pid, TimeSpan from, TimeSpan to)
    {
        await Task.Delay(from);
        var start = Seconds(pid);
        await Task.Delay(to - from);
        return Seconds(pid) - start;
    }

    /// <summary>
    /// CPU seconds all processes named <paramref name="name"/> (e.g. "postgres": the server and one backend per connection)
    /// use from <paramref name="from"/> to <paramref name="to"/> after now; backends that exit meanwhile are not counted.
    /// </summary>
    public static async Task<double?> DuringByNameAsync(string? name, TimeSpan from, TimeSpan to)
    {
        if (string.IsNullOrEmpty(name)) return null;
        await Task.Delay(from);
        var start = ByName(name);
        await Task.Delay(to - from);
        var end = ByName(name);
        return end.Sum(p => p.Value - start.GetValueOrDefault(p.Key));
    }

    private static Dictionary<int, double> ByName(string name)
    {
        var cpu = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid))
                try
                {
                    if (File.ReadAllText($"{dir}/comm").Trim() == name && Seconds(pid) is { } seconds) cpu[pid] = seconds;
                }
                catch (IOException)
                {
                    // the process ended while we looked
                }
        return cpu;
    }
}
