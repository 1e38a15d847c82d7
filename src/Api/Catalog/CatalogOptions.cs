using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Catalog;

public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Folder with interventions.json and rewards.json; relative paths are resolved against the app's folder.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    public string Resolve(string file) => Path.Combine(Extensions.Extensions.ResolveAppPath(DataDirectory), file);
}
