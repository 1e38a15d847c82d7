using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Benefit.Api.Data;

public static class DatabaseExtensions
{
    /// <summary>Registers <see cref="BenefitDb"/> on SQLite (default) or PostgreSQL, as <c>Database:Provider</c> says.</summary>
    public static BenefitConnection AddBenefitDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(builder, options);

        // Pooled: a context per request is reset and reused instead of building EF's internal services each time.
        if (options.IsPostgres)
            builder.Services.AddDbContextPool<BenefitDb, PostgresBenefitDb>(o =>
                o.UseNpgsql(connectionString, x => x.MigrationsHistoryTable(BenefitDb.MigrationsHistoryTable)));
        else
            builder.Services.AddDbContextPool<BenefitDb, SqliteBenefitDb>(o =>
                o.UseSqlite(connectionString, x => x.MigrationsHistoryTable(BenefitDb.MigrationsHistoryTable)));

        var connection = new BenefitConnection(options.Provider, connectionString);
        builder.Services.AddSingleton(connection);
        return connection;
    }

    /// <summary>The provider and the resolved connection string, for the libraries that keep their own tables in the same database.</summary>
    public sealed record BenefitConnection(string Provider, string ConnectionString);

    private static string ResolveConnectionString(IHostApplicationBuilder builder, DatabaseOptions options)
    {
        var raw = builder.Configuration.GetConnectionString("Benefit");
        if (string.IsNullOrWhiteSpace(raw))
            throw new OptionsValidationException("ConnectionStrings:Benefit", typeof(DatabaseOptions),
                ["ConnectionStrings:Benefit is required (e.g. 'Data Source=var/benefit.db' for SQLite)."]);
        if (options.IsPostgres)
        {
            // Statements this service repeats thousands of times a second are parsed and planned once per connection
            // (planning cost PostgreSQL more CPU than running them); a connection string that says otherwise wins.
            var pg = new NpgsqlConnectionStringBuilder(raw);
            if (!raw.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) && !raw.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
                pg.MaxAutoPrepare = 256;
            return pg.ToString();
        }

        // A relative SQLite file lives under the content root, outside the tracked files (var/ is ignored).
        var csb = new SqliteConnectionStringBuilder(raw);
        if (csb.DataSource != ":memory:" && !Path.IsPathRooted(csb.DataSource))
            csb.DataSource = Path.Combine(builder.Environment.ContentRootPath, csb.DataSource);
        if (Path.GetDirectoryName(csb.DataSource) is { Length: > 0 } dir)
            Directory.CreateDirectory(dir);
        csb.Pooling = true;
        return csb.ToString();
    }

    public static async Task MigrateBenefitDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
    }
}
