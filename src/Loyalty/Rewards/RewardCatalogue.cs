using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Rewards;

/// <summary>The reward shop's catalogue: what can be bought for how many points, seeded from the rewards file.</summary>
internal sealed class RewardCatalogue(LoyaltyDbFactory dbs, LoyaltyOptions options)
{
    public async Task<IReadOnlyList<RewardOffer>> GetRewardsAsync(CancellationToken ct)
    {
        await using var db = dbs.CreateDbContext();
        return await db.Rewards.OrderBy(r => r.PointCost).ThenBy(r => r.Id)
            .Select(r => new RewardOffer(r.Id, r.Name, r.Description, r.Category, r.Partner, r.PointCost, r.Stock)).ToListAsync(ct);
    }

    /// <summary>Adds rewards that are missing and refreshes catalogue facts of existing ones; stock of existing rewards is never reset.</summary>
    public async Task<int> SeedRewardsAsync(IReadOnlyList<Reward>? rewards, CancellationToken ct)
    {
        rewards ??= await RewardsFile.LoadAsync(options.RewardsPath, ct);
        await using var db = dbs.CreateDbContext();
        var existing = await db.Rewards.ToDictionaryAsync(r => r.Id, ct);
        var added = 0;
        foreach (var r in rewards)
        {
            if (!existing.TryGetValue(r.Id, out var item))
            {
                item = new RewardItem { Id = r.Id, Name = r.Name, Description = r.Description, Category = r.Category, Partner = r.Partner, Stock = r.InitialStock };
                db.Rewards.Add(item);
                added++;
            }
            (item.Name, item.Description, item.Category, item.Partner, item.PointCost) = (r.Name, r.Description, r.Category, r.Partner, r.PointCost);
        }
        await db.SaveChangesAsync(ct);
        return added;
    }
}
