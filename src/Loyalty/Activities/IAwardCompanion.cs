using System.Data.Common;

namespace Benefit.Loyalty.Activities;

/// <summary>
/// Rows a host writes with each award, in the award's own transaction, so evidence and effect commit together and an
/// award costs no second durable commit (the API writes its audit entry this way). Called with every award of a group
/// that was given a state; an award that went the single path gets its rows in a transaction of their own.
/// </summary>
public interface IAwardCompanion
{
    /// <param name="awards">Each award's result and the state its caller passed to <see cref="PointsLedger.AwardAsync"/>.</param>
    Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(AwardResult Result, object State)> awards,
        CancellationToken ct);
}
