using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Points;

/// <summary>Where the table of which provider delivers which intervention is read from; bound from "ProviderInterventions".</summary>
public sealed class ProviderInterventionsOptions
{
    public const string SectionName = "ProviderInterventions";

    /// <summary>The JSON file (until a provider registry exists); relative paths are resolved against the app's folder.</summary>
    [Required]
    public string Path { get; set; } = "data/provider-interventions.json";
}
