using System.ComponentModel.DataAnnotations;
using Benefit.Recommender.Patients;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Recommendations;

/// <summary>Where the clinical threshold table is read from; bound from "ClinicalThresholds".</summary>
public sealed class ClinicalThresholdsOptions
{
    public const string SectionName = "ClinicalThresholds";

    /// <summary>The JSON table (levels, values, sources); relative paths are resolved against the app's folder.</summary>
    [Required]
    public string Path { get; set; } = "data/clinical-thresholds.json";

    /// <summary>Binds and validates the section and loads the table once, for alerts, the caseload, CDS Hooks and the safety filter alike.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddOptions<ClinicalThresholdsOptions>().BindConfiguration(SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => ClinicalThresholds.Load(
            Extensions.Extensions.ResolveAppPath(sp.GetRequiredService<IOptions<ClinicalThresholdsOptions>>().Value.Path)));
    }
}
