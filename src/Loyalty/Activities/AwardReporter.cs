namespace Benefit.Loyalty.Activities;

/// <summary>Who reported an award, as the host's audit trail names them: its caller's subject and role, and the request's context.</summary>
/// <param name="Purpose">Why the data was touched (the host's word for it, e.g. service-delivery).</param>
/// <param name="TraceId">The request's trace id.</param>
/// <param name="ClientAddress">The caller's address.</param>
public sealed record AwardReporter(string Subject, string Role, string? Purpose = null, string? TraceId = null, string? ClientAddress = null);
