using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Benefit.Loyalty.Persistence;

/// <summary>The loyalty schema on SQLite (migrations in Migrations/Sqlite).</summary>
public sealed class SqliteLoyaltyDb(DbContextOptions<SqliteLoyaltyDb> options) : LoyaltyDb(options)
{
    public override bool LocksRows => false;
}

/// <summary>The loyalty schema on PostgreSQL (migrations in Migrations/Postgres).</summary>
public sealed class PostgresLoyaltyDb(DbContextOptions<PostgresLoyaltyDb> options) : LoyaltyDb(options)
{
    public override bool LocksRows => true;
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without a host.</summary>
public sealed class SqliteLoyaltyDbDesignFactory : IDesignTimeDbContextFactory<SqliteLoyaltyDb>
{
    public SqliteLoyaltyDb CreateDbContext(string[] args) =>
        (SqliteLoyaltyDb)new LoyaltyDbFactory(LoyaltyDatabase.Sqlite, "Data Source=design-time.db").CreateDbContext();
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without a host (no connection is opened).</summary>
public sealed class PostgresLoyaltyDbDesignFactory : IDesignTimeDbContextFactory<PostgresLoyaltyDb>
{
    public PostgresLoyaltyDb CreateDbContext(string[] args) =>
        (PostgresLoyaltyDb)new LoyaltyDbFactory(LoyaltyDatabase.Postgres, "Host=localhost;Database=benefit").CreateDbContext();
}
