namespace Benefit.Simulator;

public enum SimulationStart { Default, None }

/// <summary>What to simulate: population size, length, the hidden truth, and where the service keeps its files.</summary>
public sealed record SimulationOptions
{
    public int Patients { get; init; } = 3000;
    public int Weeks { get; init; } = 16;
    public int Seed { get; init; } = 42;
    /// <summary>How many items of each served list the patient looks at, and the k of the policy value.</summary>
    public int TopK { get; init; } = 3;
    /// <summary>Start from the shipped default model, or from none (the service serves guideline rules until a promotion).</summary>
    public SimulationStart Start { get; init; } = SimulationStart.Default;
    public string ResponseModelPath { get; init; } = "data/response-model.json";
    /// <summary>The catalogue and provider directory; the API is pointed at the same folder.</summary>
    public string DataDirectory { get; init; } = "data";
    public string OutDirectory { get; init; } = "var/simulation";
    /// <summary>Database, FHIR bundles, models and Hangfire storage of this run; a fresh temp folder when null.</summary>
    public string? WorkDirectory { get; init; }
    /// <summary>Share of patients a clinician reviews each week.</summary>
    public double ReviewShare { get; init; } = 0.05;
    /// <summary>Share of patients who consent to personalisation but not to training use.</summary>
    public double NoTrainingConsentShare { get; init; } = 0.10;
    public string Database { get; init; } = "sqlite";
    /// <summary>For postgres: an empty database (the run enrols its patients with fixed ids, so a second run on the same one gets 409s).</summary>
    public string? ConnectionString { get; init; }
    /// <summary>The Monday the simulation starts (patients' measurements end the day before).</summary>
    public DateOnly StartDate { get; init; } = new(2026, 11, 2);
    /// <summary>Patients acting at once; the API sees concurrent requests as from many phones.</summary>
    public int Parallelism { get; init; } = 8;
    /// <summary>Session reports in flight at once: the ledger commits every report waiting as one group, so more in flight means fewer commits.</summary>
    public int ReportParallelism { get; init; } = 32;
    /// <summary>Run the fhir-sync job every simulated night, not only at enrolment (bundles do not change, so it only costs time).</summary>
    public bool SyncEveryWeek { get; init; }
    /// <summary>Extra API settings (configuration keys), e.g. a smaller bootstrap cohort for tests.</summary>
    public IReadOnlyDictionary<string, string?> ApiSettings { get; init; } = new Dictionary<string, string?>();

    public void Validate()
    {
        if (Patients < 1) throw new ArgumentException("--patients must be at least 1");
        if (Weeks < 1) throw new ArgumentException("--weeks must be at least 1");
        if (TopK is < 1 or > 20) throw new ArgumentException("--top-k must be between 1 and 20");
        if (ReviewShare is < 0 or > 1) throw new ArgumentException("--review-share must be between 0 and 1");
        if (NoTrainingConsentShare is < 0 or > 1) throw new ArgumentException("--no-training-share must be between 0 and 1");
        if (Database is not ("sqlite" or "postgres")) throw new ArgumentException("--database must be sqlite or postgres");
        if (Database == "postgres" && string.IsNullOrWhiteSpace(ConnectionString)) throw new ArgumentException("--database postgres needs --connection");
        if (StartDate.DayOfWeek != DayOfWeek.Monday) throw new ArgumentException("the start date must be a Monday");
    }
}
