namespace Benefit.Loyalty.Activities;

/// <summary>A session of a catalogue intervention that a provider saw the patient attend (the retrain's "kept up" evidence).</summary>
/// <param name="OccurredAt">When the session happened, in UTC.</param>
public sealed record InterventionSession(string PatientId, string InterventionId, string Provider, DateTimeOffset OccurredAt);
