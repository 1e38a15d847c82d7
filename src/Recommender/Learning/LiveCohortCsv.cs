using System.Security.Cryptography;
using System.Text;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Learning;

/// <summary>
/// The service's decided outcomes in the generated cohort's two CSV files (<see cref="CohortCsv"/>), so a data scientist
/// trains and compares offline with the same <c>benefit-ml</c> commands. Patient ids are pseudonymised with a keyed hash
/// (HMAC-SHA256 with a key made for this export and then forgotten): the same patient has the same pseudonym within one
/// export and a different one in the next, and no one can go back from a pseudonym to the id. The exact age is not exported
/// (only its band).
/// </summary>
public static class LiveCohortCsv
{
    public static (int Patients, int Rows) Write(TextWriter profiles, TextWriter interactions, IEnumerable<ExposureOutcome> outcomes)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        string Pseudonym(string id)
        {
            if (!pseudonyms.TryGetValue(id, out var p))
                pseudonyms[id] = p = "x" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(id)))[..16];
            return p;
        }

        var decided = outcomes.Where(o => o.Decided).OrderBy(o => o.Exposure.ServedAt).ThenBy(o => o.Exposure.Rank).ToList();
        interactions.WriteLine(CohortCsv.InteractionsHeader);
        var latest = new Dictionary<string, PatientContext>(StringComparer.Ordinal);
        foreach (var o in decided)
        {
            var id = Pseudonym(o.Exposure.PatientId);
            latest[id] = o.Exposure.Context;
            interactions.WriteLine(CohortCsv.InteractionLine(new Interaction(id, o.Exposure.InterventionId, o.Exposure.ServedAt, o.Outcome,
                o.SessionsAttended, o.PlannedSessions, o.Exposure.Context)));
        }
        profiles.WriteLine(CohortCsv.ProfilesHeader);
        foreach (var (id, c) in latest.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var pref = c.Preferences;
            profiles.WriteLine(string.Join(',', id, "", c.AgeBand, c.Sex, c.SocioEconomicBand, c.Language, pref.Guidance, pref.Delivery, pref.Setting,
                pref.MaxCostEuroCents, pref.MinutesPerWeek, string.Join(';', pref.Goals)));
        }
        return (latest.Count, decided.Count);
    }
}
