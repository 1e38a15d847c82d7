namespace Benefit.Loyalty.Activities;

/// <summary>Who reported an award, as the host's audit trail names them (its caller's subject and role).</summary>
public sealed record AwardReporter(string Subject, string Role);
