namespace Benefit.Api.Extensions;

/// <summary>
/// `dotnet run` applies launchSettings.json's variables over the shell's, so a launch profile that set
/// ASPNETCORE_ENVIRONMENT would silently turn a requested Production into Development. The profile sets
/// BENEFIT_DEFAULT_ENVIRONMENT instead, which counts only when nothing else names an environment.
/// </summary>
public static class LaunchEnvironment
{
    public const string DefaultVariable = "BENEFIT_DEFAULT_ENVIRONMENT";

    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        EnvironmentName = Named(args) ? null : Environment.GetEnvironmentVariable(DefaultVariable),
    };

    private static bool Named(string[] args) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
        || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase));
}
