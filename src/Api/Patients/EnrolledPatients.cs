using System.Collections.Concurrent;
using Benefit.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Patients;

/// <summary>
/// Answers "is this patient enrolled?" for hot write paths (every reported activity asks). Enrolment is never undone,
/// so a yes is remembered for the life of the process; a no is asked again each time, so a patient enrolled a moment
/// ago (on any instance) is found at once.
/// </summary>
public sealed class EnrolledPatients
{
    private const int MaxRemembered = 1_000_000;
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task<bool> ContainsAsync(BenefitDb db, string patientId, CancellationToken ct)
    {
        if (_known.ContainsKey(patientId)) return true;
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct)) return false;
        if (_known.Count < MaxRemembered) _known.TryAdd(patientId, true);
        return true;
    }
}
