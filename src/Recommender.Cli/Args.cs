using System.Globalization;

namespace Benefit.Recommender.Cli;

/// <summary>"--name value" options after the verb; unknown names are an error so typos do not silently use defaults.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null) _values[name] = "true";
                name = a[2..];
            }
            else if (name is not null) { _values[name] = a; name = null; }
            else throw new ArgumentException($"unexpected argument '{a}'");
        }
        if (name is not null) _values[name] = "true";
    }

    public string Text(string name, string fallback) { _used.Add(name); return _values.GetValueOrDefault(name, fallback); }

    public string? Optional(string name) { _used.Add(name); return _values.GetValueOrDefault(name); }

    public int Int(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public double Double(string name, double fallback) =>
        double.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public bool Flag(string name) => Text(name, "false") == "true";

    public void RejectUnknown()
    {
        var unknown = _values.Keys.Except(_used).ToList();
        if (unknown.Count > 0) throw new ArgumentException("unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)));
    }
}
