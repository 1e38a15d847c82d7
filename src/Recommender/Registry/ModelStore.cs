using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Registry;

/// <summary>Where model versions live on disk; bound from configuration by the host.</summary>
public sealed class ModelStoreOptions
{
    public const string SectionName = "Recommender:Models";
    public string Root { get; set; } = "models";
}

/// <summary>
/// Folder-per-version model registry: &lt;root&gt;/&lt;version&gt;/model.zip, card.json, report.html.
/// A version is written to a temporary folder and renamed into place, so readers never see half a model.
/// </summary>
public sealed class ModelStore(ModelStoreOptions options)
{
    public const string ModelFile = "model.zip", CardFile = "card.json", ReportFile = "report.html";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Root => options.Root;

    public string PathOf(string version, string file = "") => Path.Combine(options.Root, Check(version), file);

    public void Save(TrainedModel model, ModelCard card, string? reportHtml = null, bool replace = false)
    {
        var final = PathOf(card.Version);
        if (Directory.Exists(final) && !replace) throw new IOException($"model version {card.Version} already exists");
        Directory.CreateDirectory(options.Root);
        var temp = Path.Combine(options.Root, $".tmp-{card.Version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        using (var file = File.Create(Path.Combine(temp, ModelFile))) FfmModelFile.Save(model, file);
        File.WriteAllText(Path.Combine(temp, CardFile), JsonSerializer.Serialize(card, Json) + "\n");
        if (reportHtml is not null) File.WriteAllText(Path.Combine(temp, ReportFile), reportHtml);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
    }

    public ModelSnapshot LoadSnapshot(string version)
    {
        using var file = File.OpenRead(PathOf(version, ModelFile));
        return ModelSnapshot.From(FfmModelFile.Load(file), version);
    }

    public TrainedModel LoadModel(string version)
    {
        using var file = File.OpenRead(PathOf(version, ModelFile));
        return FfmModelFile.Load(file);
    }

    public ModelCard LoadCard(string version) =>
        JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(PathOf(version, CardFile)), Json)
        ?? throw new InvalidDataException($"model {version} has an empty card");

    /// <summary>Complete versions only (temporary folders and folders without a model are skipped), newest card first.</summary>
    public IReadOnlyList<ModelCard> List() => !Directory.Exists(options.Root) ? [] :
        [.. Directory.EnumerateDirectories(options.Root).Select(Path.GetFileName).OfType<string>()
            .Where(v => !v.StartsWith('.') && File.Exists(PathOf(v, ModelFile)) && File.Exists(PathOf(v, CardFile)))
            .Select(LoadCard).OrderByDescending(c => c.CreatedAt)];

    private static string Check(string version) =>
        version.Length is > 0 and <= 64 && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !version.StartsWith('.')
            ? version : throw new ArgumentException($"invalid model version '{version}'", nameof(version));
}
