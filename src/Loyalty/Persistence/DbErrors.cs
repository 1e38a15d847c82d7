using Microsoft.Data.Sqlite;
using Npgsql;

namespace Benefit.Loyalty.Persistence;

/// <summary>Which database errors a writer retries, and which mean "already there".</summary>
internal static class DbErrors
{
    /// <summary>Attempts a write makes before a transient error reaches the caller.</summary>
    public const int MaxAttempts = 5;

    /// <summary>A deadlock or serialisation failure (PostgreSQL), or a busy or locked file (SQLite): worth another attempt.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    public static bool IsUniqueViolation(Exception e) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => e.InnerException is { } inner && IsUniqueViolation(inner),
    };
}
