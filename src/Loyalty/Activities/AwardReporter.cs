namespace Benefit.Loyalty.Activities;

/// <summary>
/// Who reported an award, as the host's audit trail names them: the caller's subject and role, and the request's purpose,
/// trace id and client address when the host records them.
/// </summary>
public sealed record AwardReporter(string Subject, string Role, string? Purpose = null, string? TraceId = null, string? ClientAddress = null);
