using System.Diagnostics;
using Benefit.Api.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Benefit.Api.Tests.Security;

/// <summary>Production refuses to start unsafe: the real service binary, started as its own process.</summary>
public sealed class ProductionStartTests
{
    [Fact]
    public async Task Production_without_a_token_authority_or_a_FHIR_server_exits_and_says_why()
    {
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>());

        Assert.Equal(1, exitCode);
        Assert.Contains("refuses to start in Production", output);
        Assert.Contains("No token authority", output);
        Assert.Contains("No FHIR server", output);
        Assert.DoesNotContain("   at ", output); // a message, not a stack trace
    }

    [Fact]
    public async Task Production_with_demo_seeding_on_exits_and_says_why()
    {
        var (exitCode, output) = await RunAsync(new Dictionary<string, string?>
        {
            ["Authentication__Schemes__Bearer__Authority"] = "https://login.example.org/realms/benefit",
            ["Fhir__BaseUrl"] = "https://fhir.example.org/r4",
            ["Demo__Seed"] = "true",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("Demo:Seed", output);
        Assert.DoesNotContain("No token authority", output);
    }

    [Fact]
    public void Production_with_an_authority_a_FHIR_server_and_no_demo_data_has_nothing_to_refuse()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:Authority"] = "https://login.example.org/realms/benefit",
            ["Fhir:BaseUrl"] = "https://fhir.example.org/r4",
        }).Build();
        Assert.Empty(ProductionSafety.Problems(configuration, new HostingEnvironment { EnvironmentName = Environments.Production }));
    }

    [Fact]
    public void Signing_keys_without_an_audience_are_refused_in_Production_and_development_is_left_alone()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = "a2V5",
            ["Fhir:BaseUrl"] = "https://fhir.example.org/r4",
        }).Build();
        Assert.Contains(ProductionSafety.Problems(configuration, new HostingEnvironment { EnvironmentName = Environments.Production }),
            p => p.Contains("ValidAudiences"));
        Assert.Empty(ProductionSafety.Problems(new ConfigurationBuilder().Build(), new HostingEnvironment { EnvironmentName = Environments.Development }));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(Dictionary<string, string?> settings)
    {
        var dll = ServiceBinary();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "DOTNET_ENVIRONMENT", RequiredDefault, "Fhir__BaseUrl", "Demo__Seed" })
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("The service did not exit: Production started although it is unsafe.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private const string RequiredDefault = "BENEFIT_DEFAULT_ENVIRONMENT";

    /// <summary>The service's own build output, beside the tests (referenced project) or in src/Api.</summary>
    private static string ServiceBinary()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Benefit.Api.dll");
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
            return beside;
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var built = Path.Combine(RoleTableRow.RepositoryRoot(), "src", "Api", "bin", configuration, "net10.0", "Benefit.Api.dll");
        Assert.True(File.Exists(built), $"The service binary was not found at {beside} or {built}.");
        return built;
    }
}
