using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Benefit.Loyalty.Persistence;

/// <summary>
/// Commands kept by their text, with their compiled statements, on a connection that stays open: the SQLite award writer's.
/// SQLite compiles every statement of a new command before running it, and an award group's dozen statements (with their
/// <c>json_each</c> row sets) took about a tenth of the writer's time to compile. On any other connection a command is new
/// each time and disposed after use, so callers need not know which kind they have.
/// </summary>
internal static class PreparedCommands
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Kept = new();

    /// <summary>From now on commands on <paramref name="connection"/> are kept until <see cref="Forget"/>; one user at a time.</summary>
    public static void Keep(DbConnection connection) => Kept.AddOrUpdate(connection, []);

    /// <summary>Disposes the commands kept on <paramref name="connection"/> and stops keeping them.</summary>
    public static void Forget(DbConnection connection)
    {
        if (!Kept.TryGetValue(connection, out var commands)) return;
        foreach (var command in commands.Values) command.Dispose();
        Kept.Remove(connection);
    }

    /// <summary>A command with <paramref name="text"/> and no parameters, in <paramref name="transaction"/>; dispose the lease after use.</summary>
    public static Lease Get(DbTransaction transaction, string text)
    {
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has no connection.", nameof(transaction));
        if (!Kept.TryGetValue(connection, out var commands)) return new Lease(New(connection, transaction, text), owned: true);
        if (!commands.TryGetValue(text, out var command)) commands[text] = command = New(connection, transaction, text);
        command.Transaction = transaction;
        command.Parameters.Clear();
        return new Lease(command, owned: false);
    }

    private static DbCommand New(DbConnection connection, DbTransaction transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        return command;
    }

    /// <summary>A command for one use; disposing it disposes the command unless its connection keeps it.</summary>
    public readonly struct Lease(DbCommand command, bool owned) : IAsyncDisposable
    {
        public DbCommand Command { get; } = command;

        public ValueTask DisposeAsync() => owned ? Command.DisposeAsync() : ValueTask.CompletedTask;
    }
}
