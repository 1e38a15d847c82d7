namespace Benefit.Loyalty.Activities;

/// <summary>One row of the host's audit trail; the names are the table's columns.</summary>
public sealed record AwardAuditRow(DateTime At, string Subject, string Role, string? PatientId, string Action, string Outcome, string? Detail = null,
    string? Purpose = null, string? TraceId = null, string? ClientAddress = null);
