using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Run a Hangfire server in this instance; any number of instances may, jobs still run once.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Hangfire's SQLite file when the database is SQLite; relative to the content root.</summary>
    public string SqlitePath { get; set; } = "var/hangfire.db";

    /// <summary>IANA zone the cron expressions are read in.</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    [Required] public string FhirSyncCron { get; set; } = "0 1 * * *";
    [Required] public string RetrainCron { get; set; } = "30 2 * * *";
    [Required] public string PointsExpiryCron { get; set; } = "0 3 * * *";
    [Required] public string ReservationExpiryCron { get; set; } = "*/5 * * * *";

    /// <summary>How long a claimed run is held before another server may take it over (a crashed run's lease lapses).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromHours(2);
}
