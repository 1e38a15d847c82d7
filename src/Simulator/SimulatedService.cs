using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Benefit.Simulator;

/// <summary>
/// The real service in-process (TestServer) on the simulation's own database, FHIR folder and model folder, with a clock the
/// simulation moves and tokens it signs itself with a key made for this run.
/// </summary>
public sealed class SimulatedService : WebApplicationFactory<Program>
{
    private const string Issuer = "benefit-simulator";
    private const string Audience = "benefit-api";
    private static readonly string[] Roles = ["patient", "clinician", "provider", "data-scientist", "admin"];

    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(48);
    private readonly Dictionary<string, string?> _settings;
    private readonly JsonWebTokenHandler _tokens = new();

    public SimulatedService(SimulationOptions options, string work, FakeTimeProvider clock)
    {
        // Outside a test project no content-root attribute points at src/Api; the build copies the API's files beside us.
        const string contentRoot = "ASPNETCORE_TEST_CONTENTROOT_BENEFIT_API";
        if (Environment.GetEnvironmentVariable(contentRoot) is null)
            Environment.SetEnvironmentVariable(contentRoot, AppContext.BaseDirectory);
        Clock = clock;
        FhirFolder = Path.Combine(work, "fhir");
        Directory.CreateDirectory(FhirFolder);
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = options.Database,
            ["ConnectionStrings:Benefit"] = options.ConnectionString ?? $"Data Source={Path.Combine(work, "benefit.db")}",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(_signingKey),
            ["Jobs:RunServer"] = "false",
            ["Jobs:SqlitePath"] = Path.Combine(work, "hangfire.db"),
            ["Demo:Seed"] = "false",
            ["Fhir:BaseUrl"] = "",
            ["Fhir:EmbeddedBundleFolder"] = FhirFolder,
            ["Catalog:DataDirectory"] = Path.GetFullPath(options.DataDirectory),
            ["Models:WorkDirectory"] = Path.Combine(work, "models"),
            ["Models:Retrain:PriorData"] = Path.Combine(work, "cohort"),
            // Simulated patients answer the morning a list is shown and providers report each week's sessions that Sunday,
            // so a week is enough for every outcome to happen: the night after week w learns from week w's lists.
            ["Models:Retrain:RespondWithinDays"] = "6", ["Models:Retrain:PaceAfterDays"] = "6", ["Models:Retrain:SettleDays"] = "6",
            ["Models:Retrain:HoldoutWeeks"] = "1",
            ["Models:Retrain:Seed"] = options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            // Thousands of simulated phones and one provider burst per week: the limits are not what is measured here.
            ["RateLimits:DefaultReadPermits"] = "100000000",
        };
        if (options.Start == SimulationStart.None)
            _settings["Models:DefaultModelDirectory"] = Path.Combine(work, "no-default-model");
        foreach (var role in Roles)
        {
            _settings[$"RateLimits:PermitsPerRole:{role}"] = "100000000";
            _settings[$"RateLimits:ReadPermitsPerRole:{role}"] = "100000000";
        }
        foreach (var (key, value) in options.ApiSettings)
            _settings[key] = value;
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>Where the embedded FHIR source reads one Bundle per patient.</summary>
    public string FhirFolder { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Simulation");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    /// <summary>A client that sends every request with this caller's token.</summary>
    public HttpClient ClientFor(string subject, string role, string? patient = null, string? provider = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(subject, role, patient, provider));
        return client;
    }

    public string Token(string subject, string role, string? patient = null, string? provider = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("unique_name", subject), new("role", role) };
        if (patient is not null) claims.Add(new Claim("patient", patient));
        if (provider is not null) claims.Add(new Claim("provider", provider));
        return _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            // Wall-clock validity: the API checks lifetimes against real time, not the simulated clock.
            Expires = DateTime.UtcNow.AddHours(12),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_signingKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
