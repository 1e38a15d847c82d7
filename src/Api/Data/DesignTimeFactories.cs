using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Benefit.Api.Data;

// Used only by `dotnet ef migrations add`; the running service configures contexts in DatabaseExtensions.
public sealed class SqliteBenefitDbFactory : IDesignTimeDbContextFactory<SqliteBenefitDb>
{
    public SqliteBenefitDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteBenefitDb>()
        .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(BenefitDb.MigrationsHistoryTable)).Options);
}

public sealed class PostgresBenefitDbFactory : IDesignTimeDbContextFactory<PostgresBenefitDb>
{
    public PostgresBenefitDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresBenefitDb>()
        .UseNpgsql("Host=localhost;Database=design", o => o.MigrationsHistoryTable(BenefitDb.MigrationsHistoryTable)).Options);
}
