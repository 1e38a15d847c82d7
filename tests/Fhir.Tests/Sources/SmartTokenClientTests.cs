using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Benefit.Fhir.Tests.Support.FakeFhirHandler;

namespace Benefit.Fhir.Tests.Sources;

public class SmartTokenClientTests
{
    private const string TokenUrl = "http://auth.test/token";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly List<string> _assertions = [];

    private FakeFhirHandler Server(int expiresIn = 300) => new FakeFhirHandler()
        .On(r => r.RequestUri!.ToString() == TokenUrl, async (r, _) =>
        {
            var form = await r.Content!.ReadAsStringAsync();
            var fields = form.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("client_credentials", fields["grant_type"]);
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", fields["client_assertion_type"]);
            _assertions.Add(fields["client_assertion"]);
            return Json($$"""{"access_token":"token-{{_assertions.Count}}","token_type":"bearer","expires_in":{{expiresIn}}}""");
        })
        .OnJson("/Patient/p1", PatientJson)
        .OnJson("/Observation", SearchSet(null));

    private ServiceProvider Build(FakeFhirHandler fake, string algorithm, string pem)
    {
        return TestServices.Build(TestServices.FakeSettings(
            ("Auth", "SmartBackend"), ("Smart:TokenEndpoint", TokenUrl), ("Smart:ClientId", "benefit"),
            ("Smart:Algorithm", algorithm), ("Smart:KeyId", "k1"), ("Smart:PrivateKeyPem", pem)), fake, _clock);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task The_jwt_assertion_is_signed_and_names_client_and_token_endpoint(string algorithm)
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = algorithm == "RS384" ? rsa.ExportPkcs8PrivateKeyPem() : ec.ExportPkcs8PrivateKeyPem();
        var fake = Server();
        using var services = Build(fake, algorithm, pem);

        var result = await services.GetRequiredService<FhirSyncService>().SyncPatientAsync(TestServices.Link(), null);

        Assert.Equal(SyncStatus.Complete, result.Status);
        var parts = Assert.Single(_assertions).Split('.');
        var header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
        var payload = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        Assert.Equal((algorithm, "k1"), (header.GetProperty("alg").GetString(), header.GetProperty("kid").GetString()));
        Assert.Equal(("benefit", "benefit", TokenUrl), (payload.GetProperty("iss").GetString(), payload.GetProperty("sub").GetString(), payload.GetProperty("aud").GetString()));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        var data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64Url(parts[2]);
        Assert.True(algorithm == "RS384"
            ? rsa.VerifyData(data, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1)
            : ec.VerifyData(data, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.All(fake.Requests.Where(r => r.RequestUri!.Host == "fhir.test"), r => Assert.Equal("Bearer token-1", r.Headers.Authorization?.ToString()));
    }

    [Fact]
    public async Task The_token_is_cached_until_shortly_before_it_expires()
    {
        using var rsa = RSA.Create(2048);
        var fake = Server(expiresIn: 300);
        using var services = Build(fake, "RS384", rsa.ExportPkcs8PrivateKeyPem());
        var sync = services.GetRequiredService<FhirSyncService>();

        await sync.SyncPatientAsync(TestServices.Link(), null);
        _clock.Advance(TimeSpan.FromSeconds(200));
        await sync.SyncPatientAsync(TestServices.Link(), null);
        Assert.Single(_assertions);

        _clock.Advance(TimeSpan.FromSeconds(80));
        await sync.SyncPatientAsync(TestServices.Link(), null);
        Assert.Equal(2, _assertions.Count);
    }

    [Fact]
    public async Task A_401_with_a_cached_token_fetches_a_fresh_token_once()
    {
        using var rsa = RSA.Create(2048);
        var fake = new FakeFhirHandler()
            .On(r => r.RequestUri!.ToString() == TokenUrl, (_, _) =>
            {
                _assertions.Add("issued");
                return System.Threading.Tasks.Task.FromResult(Json($$"""{"access_token":"token-{{_assertions.Count}}","expires_in":300}"""));
            })
            .On(r => r.Headers.Authorization?.Parameter == "token-1", (_, _) => System.Threading.Tasks.Task.FromResult(Json(Outcome("revoked"), HttpStatusCode.Unauthorized)))
            .OnJson("/Patient/p1", PatientJson)
            .OnJson("/Observation", SearchSet(null));
        using var services = Build(fake, "RS384", rsa.ExportPkcs8PrivateKeyPem());

        var result = await services.GetRequiredService<FhirSyncService>().SyncPatientAsync(TestServices.Link(), null);

        Assert.Equal(SyncStatus.Complete, result.Status);
        Assert.Equal(2, _assertions.Count);
    }

    [Fact]
    public async Task A_refused_token_request_fails_the_sync_as_unauthorized()
    {
        using var rsa = RSA.Create(2048);
        var fake = new FakeFhirHandler().OnJson("/token", Outcome("invalid_client"), HttpStatusCode.BadRequest);
        using var services = Build(fake, "RS384", rsa.ExportPkcs8PrivateKeyPem());

        var result = await services.GetRequiredService<FhirSyncService>().SyncPatientAsync(TestServices.Link(), null);

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.Unauthorized), (result.Status, result.Failure));
    }

    private static byte[] Base64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
