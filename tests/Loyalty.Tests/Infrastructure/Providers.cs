using Benefit.Loyalty.Persistence;

namespace Benefit.Loyalty.Tests.Infrastructure;

/// <summary>Theory data: every persistence test runs on SQLite and on PostgreSQL.</summary>
public sealed class BothProviders : TheoryData<LoyaltyDatabase>
{
    public BothProviders()
    {
        Add(LoyaltyDatabase.Sqlite);
        Add(LoyaltyDatabase.Postgres);
    }
}
