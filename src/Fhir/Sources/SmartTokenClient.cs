using System.Security.Cryptography;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Benefit.Fhir.Sources;

/// <summary>Singleton SMART Backend Services client: client-credentials grant with an RS384/ES384-signed JWT assertion; the token is cached until shortly before it expires.</summary>
public sealed class SmartTokenClient(IHttpClientFactory httpClients, IOptions<FhirSourceOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "Benefit.Fhir.Token";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _cached;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var smart = options.Value.Smart;
        if (_cached is { } c && time.GetUtcNow() < c.ExpiresAt - smart.RefreshMargin)
            return c.Token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.ExpiresAt - smart.RefreshMargin)
                return again.Token;
            var now = time.GetUtcNow();
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsync(smart.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = smart.Scope,
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = CreateAssertion(smart, now),
            }), cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new FhirSyncException(FhirSyncFailure.Unauthorized, $"The SMART token endpoint answered {(int)response.StatusCode}.");
            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new FhirSyncException(FhirSyncFailure.Unauthorized, "The SMART token endpoint sent no token.");
            _cached = (body.AccessToken, now.AddSeconds(body.ExpiresIn > 0 ? body.ExpiresIn : 300));
            return body.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _cached = null;

    /// <summary>The signed JWT the SMART Backend Services profile asks for: iss = sub = client id, aud = token URL, exp ≤ 5 minutes, unique jti.</summary>
    public static string CreateAssertion(SmartBackendOptions smart, DateTimeOffset now)
    {
        var header = new Dictionary<string, string> { ["alg"] = smart.Algorithm, ["typ"] = "JWT" };
        if (smart.KeyId is { } kid)
            header["kid"] = kid;
        var payload = new Dictionary<string, object>
        {
            ["iss"] = smart.ClientId!, ["sub"] = smart.ClientId!, ["aud"] = smart.TokenEndpoint!,
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString("N"),
        };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var pem = smart.PrivateKeyPem ?? File.ReadAllText(smart.PrivateKeyPath!);
        byte[] signature;
        if (smart.Algorithm == "ES384")
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            signature = ec.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        else
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            signature = rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        }
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _gate.Dispose();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
