using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Npgsql;

namespace Benefit.Loyalty;

/// <summary>
/// Everything an award group reads, in one command of seven statements (one round trip to PostgreSQL): keys and events
/// seen before, the accounts (created if missing, then locked in patient order) and the day, week and year cap usage.
/// Hand-written because EF runs one query per round trip and its per-query overhead was a quarter of a group's time.
/// Lists go in as one parameter each: an array on PostgreSQL (<c>= ANY(@p)</c>), a JSON array on SQLite
/// (<c>IN (SELECT value FROM json_each(@p))</c>), so the text is the same whatever the group's size.
/// </summary>
public sealed partial class PointsLedger
{
    /// <summary>What a group knows before pricing; the usage sums grow as the group awards, in queue order.</summary>
    private sealed class GroupState
    {
        public HashSet<IdempotencyKey> UsedKeys { get; } = [];
        public Dictionary<(string Provider, string ExternalEventId), ActivityEvent> Events { get; } = [];
        public Dictionary<string, Account> Accounts { get; } = [];
        public Dictionary<(string Patient, int Year), int> UsedYear { get; } = [];
        public Dictionary<(string Patient, string Category, DateOnly Week), int> UsedWeek { get; } = [];
        public Dictionary<(string Patient, string Category, DateOnly Day), int> UsedDay { get; } = [];
    }

    /// <summary>Reads the group's state; <paramref name="priced"/> are the reports that may earn (their patients, periods and categories).</summary>
    private static async Task<GroupState> ReadGroupAsync(DbTransaction tx, List<PendingAward> group, List<(ActivityEvent Activity, ActivityRule Rule)> priced, DateTime now)
    {
        var postgres = tx.Connection is NpgsqlConnection;
        var patients = priced.Select(p => p.Activity.PatientId).Distinct().Order(StringComparer.Ordinal).ToArray();

        await using var lease = PreparedCommands.Get(tx, GroupReadText[postgres ? 1 : 0].Value);
        var command = lease.Command;
        AddList(command, postgres, "scopes", group.Select(a => a.Key.Scope).Distinct().ToArray());
        AddList(command, postgres, "keys", group.Select(a => a.Key.Key).Distinct().ToArray());
        AddList(command, postgres, "providers", group.Select(a => a.Report.Provider).Distinct().ToArray());
        AddList(command, postgres, "events", group.Select(a => a.Report.ExternalEventId).Distinct().ToArray());
        AddList(command, postgres, "patients", patients);
        // A week can start in the year before (30 Dec): its earlier days carry that year.
        AddList(command, postgres, "years", priced.SelectMany(p => new[] { p.Activity.LocalYear, p.Activity.LocalWeekStart.Year }).Distinct().ToArray());
        AddList(command, postgres, "categories", priced.Select(p => p.Rule.Category).Distinct().ToArray());
        AddList(command, postgres, "weeks", priced.Select(p => p.Activity.LocalWeekStart).Distinct().ToArray());
        AddList(command, postgres, "days", priced.Select(p => p.Activity.LocalDate).Distinct().ToArray());
        command.AddParameter("now", now);

        var state = new GroupState();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) state.UsedKeys.Add(new IdempotencyKey(reader.GetString(0), reader.GetString(1)));
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
            state.Events[(reader.GetString(1), reader.GetString(2))] = new ActivityEvent
            {
                Id = reader.GetInt64(0), Provider = reader.GetString(1), ExternalEventId = reader.GetString(2), PatientId = reader.GetString(3),
                ActivityType = reader.GetString(4), Status = Enum.Parse<ActivityStatus>(reader.GetString(5)),
                Source = Enum.Parse<ActivitySource>(reader.GetString(6)), RuleVersion = reader.IsDBNull(7) ? null : reader.GetString(7),
            };
        await reader.NextResultAsync(); // the accounts just created
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
            state.Accounts[reader.GetString(0)] = new Account
            {
                PatientId = reader.GetString(0), Balance = reader.GetInt32(1), UpdatedAt = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
            };
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) state.UsedYear[(reader.GetString(0), reader.GetInt32(1))] = (int)reader.GetInt64(2);
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) state.UsedWeek[(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2))] = (int)reader.GetInt64(3);
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) state.UsedDay[(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2))] = (int)reader.GetInt64(3);
        return state;
    }

    /// <summary>The group read's seven statements, for SQLite [0] and PostgreSQL [1]: built once, the same for every group.</summary>
    private static readonly Lazy<string>[] GroupReadText = [new(() => BuildGroupReadText(postgres: false)), new(() => BuildGroupReadText(postgres: true))];

    private static string BuildGroupReadText(bool postgres)
    {
        string In(string column, string parameter) => postgres ? $"\"{column}\" = ANY(@{parameter})" : $"\"{column}\" IN (SELECT value FROM json_each(@{parameter}))";
        // Every sum names the leading columns of IX_loyalty_activities_cap_usage (patient, year, status, category, week, day, points).
        const string awarded = """FROM loyalty_activities WHERE {0} AND {1} AND "Status" = 'Awarded'""";
        var inYears = string.Format(CultureInfo.InvariantCulture, awarded, In("PatientId", "patients"), In("LocalYear", "years"));
        return string.Join(";\n",
            $"""SELECT "Scope", "Key" FROM loyalty_idempotency_keys WHERE {In("Scope", "scopes")} AND {In("Key", "keys")}""",
            $"""
             SELECT "Id", "Provider", "ExternalEventId", "PatientId", "ActivityType", "Status", "Source", "RuleVersion"
             FROM loyalty_activities WHERE {In("Provider", "providers")} AND {In("ExternalEventId", "events")}
             """,
            // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint; the order keeps two writers' inserts from deadlocking.
            $"""
             INSERT INTO loyalty_accounts ("PatientId", "Balance", "UpdatedAt") SELECT value, 0, @now
             FROM {(postgres ? "unnest(@patients) AS value" : "json_each(@patients)")} WHERE true ORDER BY 1 ON CONFLICT DO NOTHING RETURNING "PatientId"
             """,
            // Row locks in patient order on PostgreSQL, so two writers never deadlock; SQLite's write lock is already held.
            $"""SELECT "PatientId", "Balance", "UpdatedAt" FROM loyalty_accounts WHERE {In("PatientId", "patients")} ORDER BY "PatientId"{(postgres ? " FOR UPDATE" : "")}""",
            $"""SELECT "PatientId", "LocalYear", SUM("Points") {inYears} GROUP BY "PatientId", "LocalYear" """,
            $"""
             SELECT "PatientId", "Category", "LocalWeekStart", SUM("Points") {inYears} AND {In("Category", "categories")} AND {In("LocalWeekStart", "weeks")}
             GROUP BY "PatientId", "Category", "LocalWeekStart"
             """,
            $"""
             SELECT "PatientId", "Category", "LocalDate", SUM("Points") {inYears} AND {In("Category", "categories")} AND {In("LocalWeekStart", "weeks")}
             AND {In("LocalDate", "days")} GROUP BY "PatientId", "Category", "LocalDate"
             """);
    }

    /// <summary>A list as one parameter: an array on PostgreSQL, a JSON array on SQLite (days as EF stores them, yyyy-MM-dd).</summary>
    private static void AddList<T>(DbCommand command, bool postgres, string name, T[] values) =>
        command.AddParameter(name, postgres ? values
            : values is DateOnly[] days ? JsonSerializer.Serialize(days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            : JsonSerializer.Serialize(values));
}
