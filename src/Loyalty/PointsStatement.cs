namespace Benefit.Loyalty;

/// <param name="Balance">Points available to spend (the sum of all entries).</param>
/// <param name="Pending">Points self-reported activities would earn once verified (not spendable).</param>
/// <param name="Reserved">Points held by reservations awaiting partner confirmation.</param>
/// <param name="ExpiringSoon">Points of the balance that expire within the requested window.</param>
public sealed record PointsStatement(string PatientId, int Balance, int Pending, int Reserved, int ExpiringSoon, DateTimeOffset? NextExpiry);
