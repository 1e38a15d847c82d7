using System.Net.Http.Json;
using System.Text.Json;

namespace Benefit.Api.Tests.Infrastructure;

/// <summary>One running service per test class and database kind; tests pick distinct patients so they don't interfere.</summary>
public abstract class AppFixture(DatabaseKind kind) : IAsyncLifetime
{
    public BenefitApplication App { get; } = new(kind);

    public Task InitializeAsync()
    {
        _ = App.Server; // starts the host: migrate and seed
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class SqliteApp() : AppFixture(DatabaseKind.Sqlite);

public sealed class PostgresApp() : AppFixture(DatabaseKind.Postgres);

public static class HttpExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);

    /// <summary>Asserts a Problem Details body with the given status and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", body); // no stack trace
        return problem;
    }
}
