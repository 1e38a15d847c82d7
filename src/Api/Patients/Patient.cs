namespace Benefit.Api.Patients;

/// <summary>An enrolled patient: a link to their FHIR Patient, their care team, and the demographics used for fairness reporting.</summary>
public sealed class Patient
{
    public required string Id { get; init; }
    /// <summary>Base URL of the FHIR server holding the record, or <c>embedded</c> for the shipped demo bundles.</summary>
    public required string FhirServer { get; set; }
    public required string FhirPatientId { get; set; }
    /// <summary>Age band such as 55-64; null when not known (never guessed).</summary>
    public string? AgeBand { get; set; }
    public string? Sex { get; set; }
    /// <summary>low | mid | high, from data or asked; null when not known.</summary>
    public string? SocioEconomicBand { get; set; }
    public string? Language { get; set; }
    public DateTime EnrolledAt { get; init; }
    /// <summary>Conditions the safety filter needs that observations do not carry (e.g. RecentCardiacEvent), comma-separated; set by the care team.</summary>
    public string? KnownConditions { get; set; }
    public List<CareTeamMember> CareTeam { get; init; } = [];
}

public sealed class CareTeamMember
{
    public required string PatientId { get; init; }
    /// <summary>The clinician's token subject/name, e.g. demo-clinician-1.</summary>
    public required string ClinicianId { get; init; }
}
