using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Models;

public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>The model shipped with the service, imported as the first champion on an empty database.</summary>
    public string DefaultModelDirectory { get; set; } = "models/default";

    /// <summary>Where nightly training writes model folders (outside the tracked files).</summary>
    public string WorkDirectory { get; set; } = "var/models";

    /// <summary>How often each instance asks the database which version is champion.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Versions kept with their bytes; older rejected or retired ones lose their bytes (card and report stay).</summary>
    public int KeepVersions { get; set; } = 10;
}

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
            logger.LogWarning("No default model at {Path}; recommendations answer 503 until a model is trained", modelFile);
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
}
