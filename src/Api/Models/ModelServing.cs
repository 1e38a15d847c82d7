using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Models;

/// <summary>
/// The champion this instance serves. A swap replaces one immutable snapshot, so a response scored with
/// <see cref="Ranker.Current"/> read once never mixes two versions. Polls the database, so every instance follows a promotion.
/// </summary>
public sealed class ModelServing(ModelRegistry registry, ILogger<ModelServing> logger)
{
    private Ranker? _ranker;

    public Ranker? Ranker => Volatile.Read(ref _ranker);

    public string? Version => Ranker?.Current.Version;

    /// <summary>Loads the database's champion when it differs from the one served; returns true when it swapped.</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        var version = await registry.ChampionVersionAsync(ct);
        if (version is null || version == Version)
            return false;
        var record = await registry.ChampionAsync(ct);
        if (record?.ModelBytes is null)
            return false;
        using var stream = new MemoryStream(record.ModelBytes);
        var snapshot = ModelSnapshot.From(FfmModelFile.Load(stream), record.Version);
        if (Ranker is { } ranker)
            ranker.Swap(snapshot);
        else
            Interlocked.CompareExchange(ref _ranker, new Ranker(snapshot), null)?.Swap(snapshot);
        logger.LogInformation("Serving model {Version}", record.Version);
        return true;
    }
}

/// <summary>Asks the database for the champion every few seconds (the database is what all instances share).</summary>
public sealed class ModelPoller(ModelServing serving, IOptions<ModelOptions> options, TimeProvider clock, ILogger<ModelPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await serving.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not refresh the champion model; still serving {Version}", serving.Version);
            }
        }
    }
}
