using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Benefit.Loyalty.Persistence;

/// <summary>
/// The ledger's hand-written SQL, where EF costs too much: an award group's reads in one command (one round trip), its
/// rows with one set-based statement per table (<see cref="RowSet{TRow}"/>; EF's SaveChanges sends a statement per row and
/// tracks every entity, which was half of a group's time), cap usage for either award path, and the account lock of EF
/// transactions. Lists go in as one parameter each: an array on PostgreSQL (<c>= ANY(@p)</c>), a JSON array on SQLite
/// (<c>IN (SELECT value FROM json_each(@p))</c>), so a statement's text is the same whatever the group's size.
/// </summary>
internal static class LedgerStore
{
    internal static readonly RowSet<ActivityEvent> ActivityRows = new RowSet<ActivityEvent>()
        .Column("PatientId", a => a.PatientId).Column("Provider", a => a.Provider).Column("ExternalEventId", a => a.ExternalEventId)
        .Column("ActivityType", a => a.ActivityType).Column("Category", a => a.Category)
        .Column("OccurredAt", a => a.OccurredAt).Column("ReceivedAt", a => a.ReceivedAt)
        .Column("LocalDate", a => a.LocalDate).Column("LocalWeekStart", a => a.LocalWeekStart).Column("LocalYear", a => a.LocalYear)
        .Column("Source", a => a.Source.ToString()).Column("Status", a => a.Status.ToString()).Column("Points", a => a.Points)
        .Column("RuleVersion", a => a.RuleVersion).Column("Reason", a => a.Reason.ToString()).Column("InterventionId", a => a.InterventionId);

    internal static readonly RowSet<LedgerEntry> EntryRows = new RowSet<LedgerEntry>()
        .Column("PatientId", e => e.PatientId).Column("Kind", e => e.Kind.ToString()).Column("Points", e => e.Points)
        .Column("CreatedAt", e => e.CreatedAt).Column("ActivityId", e => e.Activity?.Id).Column("RuleVersion", e => e.RuleVersion)
        .Column("ReservationId", e => e.ReservationId).Column("ReversedEntryId", e => e.ReversedEntryId)
        .Column("Shortfall", e => e.Shortfall).Column("Reason", e => e.Reason).Column("IdempotencyKey", e => e.IdempotencyKey);

    private static readonly RowSet<PointLot> LotRows = new RowSet<PointLot>()
        .Column("PatientId", l => l.PatientId).Column("SourceEntryId", l => l.SourceEntry!.Id).Column("EarnedAt", l => l.EarnedAt)
        .Column("ExpiresAt", l => l.ExpiresAt).Column("Original", l => l.Original).Column("Remaining", l => l.Remaining);

    private static readonly RowSet<Account> AccountRows = new RowSet<Account>()
        .Column("PatientId", a => a.PatientId).Column("Balance", a => a.Balance).Column("UpdatedAt", a => a.UpdatedAt);

    private static readonly RowSet<(IdempotencyKey Key, string Hash, string Json, DateTime At)> ResultRows =
        new RowSet<(IdempotencyKey Key, string Hash, string Json, DateTime At)>()
            .Column("Scope", r => r.Key.Scope).Column("Key", r => r.Key.Key).Column("RequestHash", r => r.Hash).Column("Completed", _ => true)
            .Column("ResultJson", r => r.Json).Column("CreatedAt", r => r.At).Column("LeaseUntil", r => r.At);

    private static readonly RowSet<AwardAuditRow> AuditRows = new RowSet<AwardAuditRow>()
        .Column("At", r => r.At).Column("Subject", r => r.Subject).Column("Role", r => r.Role).Column("PatientId", r => r.PatientId)
        .Column("Action", r => r.Action).Column("Outcome", r => r.Outcome).Column("Detail", r => r.Detail)
        .Column("Purpose", r => r.Purpose).Column("TraceId", r => r.TraceId).Column("ClientAddress", r => r.ClientAddress);

    /// <summary>
    /// Reads what a group needs before pricing: which of its keys and events were seen before, the accounts of the patients in
    /// <paramref name="priced"/> (created if missing, then locked in patient order) and the cap usage of their periods.
    /// </summary>
    public static async Task<AwardGroupState> ReadGroupAsync(DbTransaction tx, IReadOnlyCollection<IdempotencyKey> keys,
        IReadOnlyCollection<ActivityReport> reports, IReadOnlyList<(ActivityEvent Activity, AwardTerms Terms)> priced, DateTime now)
    {
        var postgres = tx.Connection is NpgsqlConnection;
        await using var lease = PreparedCommands.Get(tx, Texts[postgres ? 1 : 0].Group);
        var command = lease.Command;
        AddList(command, postgres, "scopes", keys.Select(k => k.Scope).Distinct().ToArray());
        AddList(command, postgres, "keys", keys.Select(k => k.Key).Distinct().ToArray());
        AddList(command, postgres, "providers", reports.Select(r => r.Provider).Distinct().ToArray());
        AddList(command, postgres, "events", reports.Select(r => r.ExternalEventId).Distinct().ToArray());
        AddUsageLists(command, postgres, priced);
        command.AddParameter("now", now);

        var state = new AwardGroupState();
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
        await ReadSumsAsync(reader, state.Usage);
        return state;
    }

    /// <summary>The cap usage of the periods of <paramref name="priced"/> (the single-award path's, inside its EF transaction).</summary>
    public static async Task<CapTally> ReadUsageAsync(DbTransaction tx, IReadOnlyList<(ActivityEvent Activity, AwardTerms Terms)> priced, CancellationToken ct)
    {
        var postgres = tx.Connection is NpgsqlConnection;
        await using var lease = PreparedCommands.Get(tx, Texts[postgres ? 1 : 0].Usage);
        AddUsageLists(lease.Command, postgres, priced);
        var usage = new CapTally();
        await using var reader = await lease.Command.ExecuteReaderAsync(ct);
        await ReadSumsAsync(reader, usage);
        return usage;
    }

    /// <summary>Inserts a group's activities, then the entries and lots of its credits (each needing the ids before it), and moves the balances.</summary>
    public static async Task WriteAwardsAsync(DbTransaction tx, IReadOnlyList<ActivityEvent> activities,
        IReadOnlyList<(LedgerEntry Entry, PointLot Lot)> credits, IReadOnlyDictionary<string, Account> accounts)
    {
        if (activities.Count == 0) return;
        var byEvent = activities.ToDictionary(a => (a.Provider, a.ExternalEventId));
        await ActivityRows.ReadAsync(tx, activities, ActivityRows.InsertInto("loyalty_activities", """RETURNING "Id", "Provider", "ExternalEventId" """),
            r => byEvent[(r.GetString(1), r.GetString(2))].Id = r.GetInt64(0));
        if (credits.Count == 0) return;

        var entries = credits.Select(c => c.Entry).ToList();
        var byActivity = entries.ToDictionary(e => e.Activity!.Id);
        await EntryRows.ReadAsync(tx, entries, EntryRows.InsertInto("loyalty_entries", """RETURNING "Id", "ActivityId" """),
            r => byActivity[r.GetInt64(1)].Id = r.GetInt64(0));
        await LotRows.ExecuteAsync(tx, credits.Select(c => c.Lot).ToList(), LotRows.InsertInto("loyalty_lots"));
        await AccountRows.ExecuteAsync(tx, credits.Select(c => c.Lot.PatientId).Distinct().Select(p => accounts[p]).ToList(), """
            UPDATE loyalty_accounts AS a SET "Balance" = new_rows."Balance", "UpdatedAt" = new_rows."UpdatedAt"
            FROM new_rows WHERE a."PatientId" = new_rows."PatientId"
            """);
    }

    /// <summary>Stores each answer, completed, under its idempotency key, as the single path would (a replay reads it back).</summary>
    public static Task WriteResultsAsync(DbTransaction tx, IReadOnlyList<(IdempotencyKey Key, string Hash, AwardResult Result)> results, DateTime now) =>
        ResultRows.ExecuteAsync(tx, results.Select(r => (r.Key, r.Hash, JsonSerializer.Serialize(r.Result, IdempotentWrites.ResultJson), now)).ToList(),
            ResultRows.InsertInto("loyalty_idempotency_keys"));

    /// <summary>Inserts the host's audit rows of some awards into its <paramref name="table"/>.</summary>
    public static Task WriteAuditRowsAsync(DbTransaction tx, string table, IReadOnlyList<AwardAuditRow> rows, CancellationToken ct) =>
        AuditRows.ExecuteAsync(tx, rows, AuditRows.InsertInto(table), ct);

    /// <summary>Creates the patient's account if missing and returns it locked (row lock on PostgreSQL; SQLite's write lock is already held).</summary>
    public static async Task<Account> LockAccountAsync(LoyaltyDb db, string patientId, DateTime now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO loyalty_accounts ("PatientId", "Balance", "UpdatedAt") VALUES ({patientId}, 0, {now}) ON CONFLICT DO NOTHING""", ct);
        var query = db.LocksRows
            ? db.Accounts.FromSql($"""SELECT * FROM loyalty_accounts WHERE "PatientId" = {patientId} FOR UPDATE""")
            : db.Accounts.Where(a => a.PatientId == patientId);
        return await query.SingleAsync(ct);
    }

    /// <summary>Reads the year, week and day sums, in that order, from the reader's current result set on.</summary>
    private static async Task ReadSumsAsync(DbDataReader reader, CapTally usage)
    {
        while (await reader.ReadAsync()) usage.SetYear(reader.GetString(0), reader.GetInt32(1), (int)reader.GetInt64(2));
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) usage.SetWeek(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), (int)reader.GetInt64(3));
        await reader.NextResultAsync();
        while (await reader.ReadAsync()) usage.SetDay(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), (int)reader.GetInt64(3));
    }

    private static void AddUsageLists(DbCommand command, bool postgres, IReadOnlyList<(ActivityEvent Activity, AwardTerms Terms)> priced)
    {
        AddList(command, postgres, "patients", priced.Select(p => p.Activity.PatientId).Distinct().Order(StringComparer.Ordinal).ToArray());
        // A week's days can carry two years (29 Dec to 4 Jan): sum every day of the week whatever its year.
        AddList(command, postgres, "years", priced.SelectMany(p => new[]
            { p.Activity.LocalYear, p.Activity.LocalWeekStart.Year, p.Activity.LocalWeekStart.AddDays(6).Year }).Distinct().ToArray());
        AddList(command, postgres, "categories", priced.Select(p => p.Terms.Rule.Category).Distinct().ToArray());
        AddList(command, postgres, "weeks", priced.Select(p => p.Activity.LocalWeekStart).Distinct().ToArray());
        AddList(command, postgres, "days", priced.Select(p => p.Activity.LocalDate).Distinct().ToArray());
    }

    /// <summary>A list as one parameter: an array on PostgreSQL, a JSON array on SQLite (days as EF stores them, yyyy-MM-dd).</summary>
    private static void AddList<T>(DbCommand command, bool postgres, string name, T[] values) =>
        command.AddParameter(name, postgres ? values
            : values is DateOnly[] days ? JsonSerializer.Serialize(days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            : JsonSerializer.Serialize(values));

    /// <summary>The statements for SQLite [0] and PostgreSQL [1]: built once, the same for every group.</summary>
    private static readonly (string Group, string Usage)[] Texts = [BuildTexts(postgres: false), BuildTexts(postgres: true)];

    private static (string Group, string Usage) BuildTexts(bool postgres)
    {
        string In(string column, string parameter) => postgres ? $"\"{column}\" = ANY(@{parameter})" : $"\"{column}\" IN (SELECT value FROM json_each(@{parameter}))";
        // Every sum names the leading columns of IX_loyalty_activities_cap_usage (patient, year, status, category, week, day, points).
        var awarded = $"""FROM loyalty_activities WHERE {In("PatientId", "patients")} AND {In("LocalYear", "years")} AND "Status" = 'Awarded'""";
        var usage = string.Join(";\n",
            $"""SELECT "PatientId", "LocalYear", SUM("Points") {awarded} GROUP BY "PatientId", "LocalYear" """,
            $"""
             SELECT "PatientId", "Category", "LocalWeekStart", SUM("Points") {awarded} AND {In("Category", "categories")} AND {In("LocalWeekStart", "weeks")}
             GROUP BY "PatientId", "Category", "LocalWeekStart"
             """,
            $"""
             SELECT "PatientId", "Category", "LocalDate", SUM("Points") {awarded} AND {In("Category", "categories")} AND {In("LocalWeekStart", "weeks")}
             AND {In("LocalDate", "days")} GROUP BY "PatientId", "Category", "LocalDate"
             """);
        var group = string.Join(";\n",
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
            usage);
        return (group, usage);
    }
}
