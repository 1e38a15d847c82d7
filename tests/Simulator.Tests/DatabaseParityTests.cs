using Npgsql;

namespace Benefit.Simulator.Tests;

/// <summary>The loop on PostgreSQL (the scale-out database) behaves as on SQLite: draws are keyed by seed, patient and week.</summary>
public sealed class DatabaseParityTests
{
    private const string PostgresVariable = "BENEFIT_TEST_POSTGRES";

    [Fact]
    public async Task A_seeded_run_on_PostgreSQL_serves_and_scores_the_same_weeks_as_on_SQLite()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"{PostgresVariable} is not set. Run the tests through ./test.sh, which starts a throw-away PostgreSQL and sets it.");
        var database = $"benefit_sim_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var sqliteWork = Work();
        var postgresWork = Work();
        try
        {
            var small = SimulationFixture.Options(sqliteWork) with { Patients = 80, Weeks = 2 };
            var onSqlite = await new Simulation(small).RunAsync();
            var onPostgres = await new Simulation(small with
            {
                WorkDirectory = postgresWork, Database = "postgres",
                ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString(),
            }).RunAsync();

            Assert.Equal(onSqlite.Weeks.Select(w => (w.Overall.Loop, w.Overall.Oracle, w.Enrolments, w.SessionsReported)),
                onPostgres.Weeks.Select(w => (w.Overall.Loop, w.Overall.Oracle, w.Enrolments, w.SessionsReported)));
        }
        finally
        {
            foreach (var work in new[] { sqliteWork, postgresWork })
                if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static string Work() => Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"benefit-sim-test-{Guid.NewGuid():N}");
}
