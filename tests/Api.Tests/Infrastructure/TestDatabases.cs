using Npgsql;

namespace Benefit.Api.Tests.Infrastructure;

/// <summary>A fresh, empty database per test application: a temp SQLite file, or a new database on the test PostgreSQL server.</summary>
public static class TestDatabases
{
    public const string PostgresVariable = "BENEFIT_TEST_POSTGRES";

    public static string Create(DatabaseKind kind) => kind switch
    {
        DatabaseKind.Sqlite => $"Data Source={Path.Combine(Path.GetTempPath(), $"benefit-test-{Guid.NewGuid():N}.db")}",
        _ => CreatePostgres(),
    };

    private static string CreatePostgres()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests through ./test.sh, which starts a throw-away PostgreSQL and sets it.");
        var name = $"benefit_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }
}
