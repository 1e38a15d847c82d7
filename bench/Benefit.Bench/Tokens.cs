using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Benefit.Bench;

/// <summary>HS256 tokens with the claims user-jwts would put in them, signed with the key bench/run.sh gives the API.</summary>
internal static class Tokens
{
    public const string Issuer = "benefit-bench", Audience = "benefit-api";

    public static string Provider(string key, string provider) =>
        Create(key, provider, "provider", new Claim("provider", provider));

    public static string Clinician(string key, string clinician) =>
        Create(key, clinician, "clinician", new Claim("name", clinician));

    public static string Admin(string key, string admin) =>
        Create(key, admin, "admin", new Claim("name", admin));

    public static string Patient(string key, string patientId) =>
        Create(key, $"user-{patientId}", "patient", new Claim("patient", patientId));

    private static string Create(string base64Key, string name, string role, Claim extra) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", name), new Claim("unique_name", name), new Claim("role", role), extra]),
            Expires = DateTime.UtcNow.AddHours(2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(base64Key)), SecurityAlgorithms.HmacSha256),
        });
}
