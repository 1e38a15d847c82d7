using System.Text.Json;
using Benefit.Recommender.Catalog;

namespace Benefit.Api.Points;

/// <summary>
/// Which partner provider delivers which catalogue interventions, read once at start-up from data/provider-interventions.json
/// until a provider registry exists. A provider may report a session only of an intervention it delivers.
/// </summary>
public sealed class ProviderInterventions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly Dictionary<string, HashSet<string>> _byProvider;

    public ProviderInterventions(IReadOnlyList<DeliveringProvider> providers)
    {
        Providers = providers;
        _byProvider = providers.ToDictionary(p => p.Id, p => p.Interventions.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public IReadOnlyList<DeliveringProvider> Providers { get; }

    public bool Delivers(string provider, string interventionId) =>
        _byProvider.TryGetValue(provider, out var delivered) && delivered.Contains(interventionId);

    /// <summary>Reads the file and refuses one that names an intervention <paramref name="catalog"/> lacks, or a provider twice.</summary>
    public static ProviderInterventions Load(string path, InterventionCatalog catalog)
    {
        using var stream = File.OpenRead(path);
        var providers = JsonSerializer.Deserialize<ProvidersFile>(stream, Json)?.Providers
            ?? throw new InvalidDataException($"{path} holds no providers.");
        if (providers.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"{path}: provider '{twice.Key}' appears twice.");
        var unknown = providers.SelectMany(p => p.Interventions.Where(i => catalog.Find(i) is null).Select(i => $"'{i}' ({p.Id})")).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"{path} names interventions that are not in the catalogue: {string.Join(", ", unknown)}.");
        return new ProviderInterventions(providers);
    }

    private sealed record ProvidersFile(IReadOnlyList<DeliveringProvider> Providers);
}

/// <summary>A partner provider (its id is the <c>provider</c> claim of its tokens) and the catalogue interventions it delivers.</summary>
public sealed record DeliveringProvider(string Id, string Name, IReadOnlyList<string> Interventions);
