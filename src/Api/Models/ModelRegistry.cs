using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Recommender.Training;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Models;

public static class ModelStatus
{
    public const string Champion = "champion", Challenger = "challenger", Rejected = "rejected", Retired = "retired";
}

/// <summary>Model versions in the database: every instance serves the same champion, and a promotion or rollback is one transaction.</summary>
public sealed class ModelRegistry(IServiceScopeFactory scopes, IOptions<ModelOptions> options, TimeProvider clock, ILogger<ModelRegistry> logger)
{
    public async Task<ModelVersionRecord?> ChampionAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        return await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(m => m.Status == ModelStatus.Champion, ct);
    }

    public async Task<string?> ChampionVersionAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        return await db.ModelVersions.Where(m => m.Status == ModelStatus.Champion).Select(m => m.Version).FirstOrDefaultAsync(ct);
    }

    /// <summary>On an empty registry, the shipped default model becomes champion, so a fresh start ranks at once.</summary>
    public async Task ImportDefaultIfEmptyAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        if (await db.ModelVersions.AnyAsync(ct))
            return;
        var dir = Extensions.Extensions.ResolveAppPath(options.Value.DefaultModelDirectory);
        var modelFile = Path.Combine(dir, ModelStore.ModelFile);
        if (!File.Exists(modelFile))
        {
            logger.LogWarning("No default model at {Path}; the guideline rules rank until a model is trained", modelFile);
            return;
        }
        var cardJson = await File.ReadAllTextAsync(Path.Combine(dir, ModelStore.CardFile), ct);
        var card = JsonSerializer.Deserialize<ModelCard>(cardJson, ModelStore.Json)!;
        var report = Path.Combine(dir, ModelStore.ReportFile);
        db.ModelVersions.Add(new ModelVersionRecord
        {
            Version = card.Version,
            Status = ModelStatus.Champion,
            CreatedAt = card.CreatedAt.UtcDateTime,
            PromotedAt = clock.GetUtcNow().UtcDateTime,
            CardJson = cardJson,
            ReportHtml = File.Exists(report) ? await File.ReadAllTextAsync(report, ct) : null,
            ModelBytes = await File.ReadAllBytesAsync(modelFile, ct),
            Decision = "shipped default model",
        });
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Imported default model {Version} as champion", card.Version);
        }
        catch (DbUpdateException)
        {
            // Another instance imported it first.
        }
    }

    /// <summary>Records a trained version; when its decision promotes it, the old champion retires in the same transaction.</summary>
    public async Task AddAsync(string version, string cardJson, string reportHtml, byte[] bytes, PromotionDecision decision, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.ModelVersions.FirstOrDefaultAsync(m => m.Version == version, ct);
        if (record is null)
            db.ModelVersions.Add(record = new ModelVersionRecord { Version = version, Status = ModelStatus.Challenger, CreatedAt = now, CardJson = cardJson });
        record.CardJson = cardJson;
        record.ReportHtml = reportHtml;
        record.ModelBytes = bytes;
        record.Decision = decision.Reason;
        if (decision.Promote)
            await MakeChampionAsync(db, record, now, ct);
        else
            record.Status = ModelStatus.Rejected;
        await db.SaveChangesAsync(ct);
        await PruneAsync(db, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<ModelVersionRecord?> FindAsync(string version, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        return await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(m => m.Version == version, ct);
    }

    public async Task<IReadOnlyList<ModelVersionRecord>> ListAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        return await db.ModelVersions.AsNoTracking().OrderByDescending(m => m.CreatedAt)
            .Select(m => new ModelVersionRecord
            {
                Version = m.Version, Status = m.Status, CreatedAt = m.CreatedAt, PromotedAt = m.PromotedAt, CardJson = m.CardJson,
                Decision = m.Decision, PreviousChampion = m.PreviousChampion, ModelBytes = null,
            })
            .ToListAsync(ct);
    }

    /// <summary>A human's promotion: the gate's comparison is shown, but the data scientist decides.</summary>
    public async Task<ModelVersionRecord> PromoteAsync(string version, string by, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var record = await db.ModelVersions.FirstOrDefaultAsync(m => m.Version == version, ct)
            ?? throw new ModelRegistryException(404, $"No model version '{version}'.");
        if (record.ModelBytes is null)
            throw new ModelRegistryException(409, $"Model '{version}' has no model file any more (pruned); it cannot serve.");
        if (record.Status == ModelStatus.Champion)
            throw new ModelRegistryException(409, $"Model '{version}' is already the champion.");
        await MakeChampionAsync(db, record, clock.GetUtcNow().UtcDateTime, ct);
        record.Decision = $"promoted by {by}; {record.Decision}";
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return record;
    }

    /// <summary>Back to the champion the current one replaced; the current one retires.</summary>
    public async Task<ModelVersionRecord> RollbackAsync(string by, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var current = await db.ModelVersions.FirstOrDefaultAsync(m => m.Status == ModelStatus.Champion, ct)
            ?? throw new ModelRegistryException(409, "There is no champion to roll back from.");
        var previous = current.PreviousChampion is null ? null : await db.ModelVersions.FirstOrDefaultAsync(m => m.Version == current.PreviousChampion, ct);
        if (previous?.ModelBytes is null)
            throw new ModelRegistryException(409, $"Champion '{current.Version}' has no previous champion with a model file to roll back to.");
        current.Status = ModelStatus.Retired;
        current.Decision = $"rolled back by {by}; {current.Decision}";
        previous.Status = ModelStatus.Champion;
        previous.PromotedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return previous;
    }

    private static async Task MakeChampionAsync(BenefitDb db, ModelVersionRecord record, DateTime now, CancellationToken ct)
    {
        var current = await db.ModelVersions.FirstOrDefaultAsync(m => m.Status == ModelStatus.Champion && m.Version != record.Version, ct);
        if (current is not null)
        {
            current.Status = ModelStatus.Retired;
            record.PreviousChampion = current.Version;
        }
        record.Status = ModelStatus.Champion;
        record.PromotedAt = now;
    }

    // Keeps the newest N versions' bytes (and always the champion's and its predecessor's); cards and reports stay.
    private async Task PruneAsync(BenefitDb db, CancellationToken ct)
    {
        var champion = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(m => m.Status == ModelStatus.Champion, ct);
        var keep = new HashSet<string?> { champion?.Version, champion?.PreviousChampion };
        var old = await db.ModelVersions.OrderByDescending(m => m.CreatedAt).Skip(options.Value.KeepVersions)
            .Where(m => m.ModelBytes != null).ToListAsync(ct);
        foreach (var m in old.Where(m => !keep.Contains(m.Version)))
            m.ModelBytes = null;
        await db.SaveChangesAsync(ct);
    }
}

public sealed class ModelRegistryException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
