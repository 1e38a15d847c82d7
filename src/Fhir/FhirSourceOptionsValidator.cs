using Microsoft.Extensions.Options;

namespace Benefit.Fhir;

/// <summary>Rejects a bad FHIR configuration at start-up with the name of the key that is wrong.</summary>
public sealed class FhirSourceOptionsValidator : IValidateOptions<FhirSourceOptions>
{
    private const string S = FhirSourceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, FhirSourceOptions o)
    {
        var errors = new List<string>();
        if (o.UsesServer && (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            errors.Add($"{S}:BaseUrl must be an absolute http(s) URL, got '{o.BaseUrl}'.");
        if (!o.UsesServer && string.IsNullOrWhiteSpace(o.EmbeddedBundleFolder))
            errors.Add($"{S}:EmbeddedBundleFolder is required when {S}:BaseUrl is empty.");
        if (o.PageSize is < 1 or > 1000)
            errors.Add($"{S}:PageSize must be between 1 and 1000, got {o.PageSize}.");
        if (o.MaxPages < 1)
            errors.Add($"{S}:MaxPages must be at least 1.");
        if (o.AttemptTimeout <= TimeSpan.Zero || o.AttemptTimeout > o.TotalTimeout)
            errors.Add($"{S}:AttemptTimeout must be positive and not above {S}:TotalTimeout.");
        if (o.MaxRetries is < 0 or > 10)
            errors.Add($"{S}:MaxRetries must be between 0 and 10.");
        if (o.RetryBaseDelay < TimeSpan.Zero)
            errors.Add($"{S}:RetryBaseDelay must not be negative.");
        if (o.IncrementalOverlap < TimeSpan.Zero)
            errors.Add($"{S}:IncrementalOverlap must not be negative.");
        if (o.FullResyncInterval <= TimeSpan.Zero)
            errors.Add($"{S}:FullResyncInterval must be positive.");
        if (o.CircuitMinimumThroughput < 2)
            errors.Add($"{S}:CircuitMinimumThroughput must be at least 2.");
        if (o.CircuitBreakDuration < TimeSpan.FromMilliseconds(500))
            errors.Add($"{S}:CircuitBreakDuration must be at least 0.5 s.");
        if (o.MaxConcurrentPatients is < 1 or > 64)
            errors.Add($"{S}:MaxConcurrentPatients must be between 1 and 64.");
        if (o.Auth == FhirAuthMode.Bearer && string.IsNullOrWhiteSpace(o.BearerToken))
            errors.Add($"{S}:BearerToken is required when {S}:Auth is Bearer.");
        if (o.Auth == FhirAuthMode.SmartBackend)
            ValidateSmart(o.Smart, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSmart(SmartBackendOptions s, List<string> errors)
    {
        if (!Uri.TryCreate(s.TokenEndpoint, UriKind.Absolute, out _))
            errors.Add($"{S}:Smart:TokenEndpoint must be an absolute URL when {S}:Auth is SmartBackend.");
        if (string.IsNullOrWhiteSpace(s.ClientId))
            errors.Add($"{S}:Smart:ClientId is required when {S}:Auth is SmartBackend.");
        if (s.Algorithm is not ("RS384" or "ES384"))
            errors.Add($"{S}:Smart:Algorithm must be RS384 or ES384, got '{s.Algorithm}'.");
        if (string.IsNullOrWhiteSpace(s.PrivateKeyPem) && string.IsNullOrWhiteSpace(s.PrivateKeyPath))
            errors.Add($"{S}:Smart:PrivateKeyPem or {S}:Smart:PrivateKeyPath is required when {S}:Auth is SmartBackend.");
        if (s.PrivateKeyPath is { Length: > 0 } path && !File.Exists(path))
            errors.Add($"{S}:Smart:PrivateKeyPath '{path}' does not exist.");
    }
}
