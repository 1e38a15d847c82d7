using System.Buffers;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Benefit.Loyalty.Persistence;

/// <summary>
/// A group's rows as one table expression, <c>new_rows</c>, for hand-written set-based statements where EF would send a
/// statement per row (the award groups' inserts, the API's award audit entries). On PostgreSQL each column goes in as one
/// array through <c>unnest</c>, so the statement's text is the same whatever the number of rows and is prepared once;
/// on SQLite as one JSON parameter read with <c>json_each</c>. Values are bound as EF would store them: enums as their names (the
/// column's function returns the string), instants as UTC.
/// </summary>
internal sealed class RowSet<TRow>
{
    private readonly List<(string Name, Func<IReadOnlyList<TRow>, object> Array, Func<TRow, object?> Value)> _columns = [];
    // The texts depend only on the columns and the statement, and a group builds them again and again: made once each.
    private readonly ConcurrentDictionary<(bool Postgres, string Statement), string> _texts = new();
    private string? _columnList;

    /// <summary>Adds a column, named as in the table, with the value each row gives it.</summary>
    public RowSet<TRow> Column<TValue>(string name, Func<TRow, TValue> value)
    {
        _columns.Add((name, rows =>
        {
            var array = new TValue[rows.Count];
            for (var i = 0; i < array.Length; i++) array[i] = value(rows[i]);
            return array;
        }, row => value(row)));
        _columnList = null;
        _texts.Clear();
        return this;
    }

    /// <summary>The column list, quoted: <c>"A", "B"</c>.</summary>
    public string Columns => _columnList ??= string.Join(", ", _columns.Select(c => $"\"{c.Name}\""));

    /// <summary><c>INSERT INTO table (columns) SELECT columns FROM new_rows</c>, then <paramref name="then"/> (e.g. <c>RETURNING "Id"</c>).</summary>
    /// <remarks>
    /// "WHERE true" keeps SQLite from reading a following ON CONFLICT as a join constraint. Neither database promises to
    /// return inserted rows in the order given, so RETURNING should name a column that tells the rows apart.
    /// </remarks>
    public string InsertInto(string table, string then = "") =>
        $"INSERT INTO {table} ({Columns}) SELECT {Columns} FROM new_rows WHERE true {then}";

    /// <summary>A command in <paramref name="transaction"/> running <paramref name="statement"/> with <c>new_rows</c> holding <paramref name="rows"/>.</summary>
    public DbCommand Command(DbTransaction transaction, IReadOnlyList<TRow> rows, string statement)
    {
        NotEmpty(rows);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has no connection.", nameof(transaction));
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Text(connection, statement);
        Bind(command, rows);
        return command;
    }

    /// <summary>The statement with <c>new_rows</c> defined: the same text whatever the number of rows.</summary>
    private string Text(DbConnection connection, string statement) =>
        _texts.GetOrAdd((connection is NpgsqlConnection, statement), key => Text(key.Postgres, key.Statement));

    private string Text(bool postgres, string statement)
    {
        var source = new StringBuilder();
        if (postgres)
        {
            source.Append("SELECT * FROM unnest(");
            for (var c = 0; c < _columns.Count; c++) source.Append(c == 0 ? "@c0" : $", @c{c}");
            source.Append(')');
        }
        else
        {
            // One JSON parameter: SQLite finds a named parameter by a linear search of the statement's names, so binding
            // thousands of them (a row's worth per row) cost more than the statement itself.
            source.Append("SELECT ");
            for (var c = 0; c < _columns.Count; c++) source.Append(c == 0 ? "value ->> 0" : $", value ->> {c}");
            source.Append(" FROM json_each(@rows)");
        }
        return $"WITH new_rows ({Columns}) AS ({source}) {statement}";
    }

    private void Bind(DbCommand command, IReadOnlyList<TRow> rows)
    {
        if (command.Connection is NpgsqlConnection)
            for (var c = 0; c < _columns.Count; c++) command.AddParameter($"c{c}", _columns[c].Array(rows));
        else
            command.AddParameter("rows", SqliteJson(rows));
    }

    /// <summary>
    /// A command as <see cref="Command"/> makes it, kept with its compiled statement where the connection keeps commands
    /// (<see cref="PreparedCommands"/>).
    /// </summary>
    private PreparedCommands.Lease Lease(DbTransaction transaction, IReadOnlyList<TRow> rows, string statement)
    {
        NotEmpty(rows);
        var lease = PreparedCommands.Get(transaction, Text(transaction.Connection!, statement));
        Bind(lease.Command, rows);
        return lease;
    }

    private static void NotEmpty(IReadOnlyList<TRow> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("A row set needs at least one row.", nameof(rows));
    }

    /// <summary>The rows as a JSON array of arrays, each value as EF stores it in SQLite (instants and days as text, booleans as 0/1).</summary>
    private string SqliteJson(IReadOnlyList<TRow> rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartArray();
                foreach (var column in _columns)
                    switch (column.Value(row))
                    {
                        case null: json.WriteNullValue(); break;
                        case string text: json.WriteStringValue(text); break;
                        case int number: json.WriteNumberValue(number); break;
                        case long number: json.WriteNumberValue(number); break;
                        case bool flag: json.WriteNumberValue(flag ? 1 : 0); break;
                        case DateTime instant: json.WriteStringValue(instant.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)); break;
                        case DateOnly day: json.WriteStringValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                        case Guid id: json.WriteStringValue(id.ToString().ToUpperInvariant()); break;
                        case var other: throw new NotSupportedException($"Column {column.Name}: no SQLite form for {other.GetType().Name}.");
                    }
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Runs <paramref name="statement"/> over <paramref name="rows"/>; returns the number of rows it affected.</summary>
    public async Task<int> ExecuteAsync(DbTransaction transaction, IReadOnlyList<TRow> rows, string statement, CancellationToken ct = default)
    {
        await using var lease = Lease(transaction, rows, statement);
        return await lease.Command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs <paramref name="statement"/> over <paramref name="rows"/> and hands each row it returns to <paramref name="read"/>.</summary>
    public async Task ReadAsync(DbTransaction transaction, IReadOnlyList<TRow> rows, string statement, Action<DbDataReader> read, CancellationToken ct = default)
    {
        await using var lease = Lease(transaction, rows, statement);
        await using var reader = await lease.Command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) read(reader);
    }
}
