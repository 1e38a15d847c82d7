using System.Text.Json;

namespace Benefit.Simulator;

/// <summary>
/// Which provider delivers which intervention (data/provider-interventions.json); the simulated provider that reports a session
/// is the one the API will accept it from. Without the file one provider reports everything.
/// </summary>
public sealed class ProviderDirectory
{
    public const string FileName = "provider-interventions.json";
    public const string FallbackProvider = "sim-provider";

    private readonly Dictionary<string, string> _byIntervention;

    private ProviderDirectory(Dictionary<string, string> byIntervention, bool fromFile)
    {
        _byIntervention = byIntervention;
        FromFile = fromFile;
    }

    public bool FromFile { get; }

    public string ProviderOf(string interventionId) => _byIntervention.GetValueOrDefault(interventionId, FallbackProvider);

    public static ProviderDirectory Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) return new ProviderDirectory([], fromFile: false);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var provider in document.RootElement.GetProperty("providers").EnumerateArray())
        {
            var id = provider.GetProperty("id").GetString() ?? throw new InvalidDataException($"{path}: a provider without an id");
            foreach (var intervention in provider.GetProperty("interventions").EnumerateArray())
                map.TryAdd(intervention.GetString()!, id); // the first provider listed reports for an intervention offered by several
        }
        return new ProviderDirectory(map, fromFile: true);
    }
}
