using System.Text.Json;

namespace Benefit.Recommender.Catalog;

/// <summary>The intervention catalogue, read once from JSON and immutable afterwards.</summary>
public sealed class InterventionCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, Intervention> _byId;

    public InterventionCatalog(IReadOnlyList<Intervention> items)
    {
        Items = items;
        _byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<Intervention> Items { get; }

    public Intervention? Find(string id) => _byId.GetValueOrDefault(id);

    public static InterventionCatalog Load(string path)
    {
        using var stream = File.OpenRead(path);
        var items = JsonSerializer.Deserialize<List<Intervention>>(stream, Json)
            ?? throw new InvalidDataException($"{path} holds no interventions.");
        var duplicate = items.GroupBy(i => i.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"{path}: intervention id '{duplicate.Key}' appears twice.");
        return new InterventionCatalog(items);
    }
}
