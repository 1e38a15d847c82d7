namespace Benefit.Loyalty;

/// <summary>The outcome of reversing an award.</summary>
/// <param name="PointsReversed">Points taken back from the balance.</param>
/// <param name="Shortfall">Points of the award that were already spent (or held for a reservation) and could not be taken back.</param>
/// <param name="PointsExpired">Points of the award that had already expired; they are neither reversed nor a shortfall.</param>
public sealed record ReversalResult(string PatientId, long ReversalEntryId, long AwardEntryId, int PointsReversed, int Shortfall, int PointsExpired);
