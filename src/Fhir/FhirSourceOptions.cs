namespace Benefit.Fhir;

/// <summary>How Benefit reaches one deployment's FHIR R4 server; bound from the "Fhir" section.</summary>
public sealed class FhirSourceOptions
{
    public const string SectionName = "Fhir";

    /// <summary>FHIR base URL. Empty means the embedded source: demo Bundles from <see cref="EmbeddedBundleFolder"/>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Folder of one Bundle per patient, named <c>&lt;patient-id&gt;.json</c>, used when no server is configured.</summary>
    public string EmbeddedBundleFolder { get; set; } = "data/demo/fhir";

    public FhirAuthMode Auth { get; set; } = FhirAuthMode.None;

    /// <summary>Static bearer token for <see cref="FhirAuthMode.Bearer"/>.</summary>
    public string? BearerToken { get; set; }

    public SmartBackendOptions Smart { get; set; } = new();

    /// <summary>Timeout of one HTTP attempt; a slower answer counts as a failed attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one request including its retries (set on the HttpClient).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter unless the server sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Observations per search page (<c>_count</c>).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Pages followed per sync before it ends as partial; guards against endless paging.</summary>
    public int MaxPages { get; set; } = 1000;

    /// <summary>Subtracted from the last sync mark so resources written during the previous sync are not missed.</summary>
    public TimeSpan IncrementalOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A full (non-incremental) sync this often drops observations the server deleted, which a _lastUpdated search cannot see.</summary>
    public TimeSpan FullResyncInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Failed calls within the sampling window before the circuit can open; small so it opens at low traffic.</summary>
    public int CircuitMinimumThroughput { get; set; } = 5;

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Patients synced at the same time by the nightly run.</summary>
    public int MaxConcurrentPatients { get; set; } = 4;

    public bool UsesServer => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>What an enrolled patient's <c>fhir.server</c> must say to be read from this source: the base URL, or "embedded".</summary>
    public string ServerName => UsesServer ? BaseUrl!.Trim().TrimEnd('/') : EmbeddedServerName;

    public const string EmbeddedServerName = "embedded";

    /// <summary>Whether <paramref name="server"/> names this deployment's source (the one the sync reads); a trailing slash and letter case do not matter.</summary>
    public bool IsConfiguredServer(string? server) =>
        server is not null && string.Equals(server.Trim().TrimEnd('/'), ServerName, StringComparison.OrdinalIgnoreCase);
}

public enum FhirAuthMode
{
    None,
    Bearer,
    SmartBackend,
}

/// <summary>SMART Backend Services: client-credentials grant with a signed JWT assertion.</summary>
public sealed class SmartBackendOptions
{
    public string? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    public string Scope { get; set; } = "system/Observation.rs system/Patient.rs";

    /// <summary>RS384 or ES384.</summary>
    public string Algorithm { get; set; } = "RS384";

    /// <summary>Key id published in the client's JWKS.</summary>
    public string? KeyId { get; set; }

    /// <summary>PKCS#8 private key in PEM; or use <see cref="PrivateKeyPath"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    public string? PrivateKeyPath { get; set; }

    /// <summary>A token is refreshed this long before it expires.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(30);
}
