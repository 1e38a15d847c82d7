using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Models;

/// <summary>Where models come from and go, and how often instances look for a new champion; bound from "Models".</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Models";

    /// <summary>The model shipped with the service, imported as the first champion on an empty database.</summary>
    [Required]
    public string DefaultModelDirectory { get; set; } = "models/default";

    /// <summary>Where nightly training writes model folders (outside the tracked files).</summary>
    [Required]
    public string WorkDirectory { get; set; } = "var/models";

    /// <summary>How often each instance asks the database which version is champion.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Versions kept with their bytes; older rejected or retired ones lose their bytes (card and report stay).</summary>
    [Range(2, 1000)]
    public int KeepVersions { get; set; } = 10;
}
