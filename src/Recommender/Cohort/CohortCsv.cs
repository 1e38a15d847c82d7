using System.Globalization;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

/// <summary>The two CSV files of a cohort: static patient profiles and the interaction history with context as of each row.</summary>
public static class CohortCsv
{
    public const string ProfilesHeader = "patientId,age,ageBand,sex,ses,language,guidance,delivery,setting,maxCostEuroCents,minutesPerWeek,goals";
    public const string InteractionsHeader = "patientId,interventionId,timestamp,outcome,sessionsAttended,plannedSessions,keptUp,"
        + "sbp,dbp,bmi,ldl,hba1c,smoker,steps,phq9,gad7,stress,auditc";

    private static readonly (ClinicalFeature Feature, bool Secondary)[] ObservationColumns =
    [
        (ClinicalFeature.BloodPressure, false), (ClinicalFeature.BloodPressure, true), (ClinicalFeature.BodyMassIndex, false),
        (ClinicalFeature.LdlMmolPerL, false), (ClinicalFeature.HbA1cPercent, false), (ClinicalFeature.CurrentSmoker, false),
        (ClinicalFeature.StepsPerDay, false), (ClinicalFeature.Phq9, false), (ClinicalFeature.Gad7, false),
        (ClinicalFeature.Stress, false), (ClinicalFeature.AuditC, false),
    ];

    public static string ProfileLine(CohortPatient p)
    {
        var pref = p.Preferences;
        return string.Join(',', p.Id, p.Age, p.AgeBand, p.Sex, p.SocioEconomicBand, p.Language, pref.Guidance, pref.Delivery,
            pref.Setting, pref.MaxCostEuroCents, pref.MinutesPerWeek, string.Join(';', pref.Goals));
    }

    public static string InteractionLine(Interaction i)
    {
        var cells = new List<string>
        {
            i.PatientId, i.InterventionId, i.Timestamp.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            i.Outcome.ToString(), Num(i.SessionsAttended), Num(i.PlannedSessions), i.KeptUp ? "1" : "0",
        };
        foreach (var (feature, secondary) in ObservationColumns)
        {
            var m = i.Context.Latest(feature);
            cells.Add(m is null ? "" : Num(secondary ? m.Secondary ?? 0 : m.Value));
        }
        return string.Join(',', cells);
    }

    public static Dictionary<string, PatientContext> ReadProfiles(string path)
    {
        var result = new Dictionary<string, PatientContext>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var c = line.Split(',');
            result[c[0]] = new PatientContext
            {
                PatientId = c[0], AgeBand = c[2], Sex = c[3], SocioEconomicBand = c[4], Language = c[5],
                Preferences = new Preferences
                {
                    Guidance = Enum<Guidance>(c[6]), Delivery = Enum<Delivery>(c[7]), Setting = Enum<Setting>(c[8]),
                    MaxCostEuroCents = Int(c[9]), MinutesPerWeek = Int(c[10]),
                    Goals = [.. c[11].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(System.Enum.Parse<RiskTarget>)],
                },
            };
        }
        return result;
    }

    /// <summary>Streams interactions; the context is the profile plus the observations as they were at that row's time.</summary>
    public static IEnumerable<Interaction> ReadInteractions(string path, IReadOnlyDictionary<string, PatientContext> profiles) =>
        File.ReadLines(path).Skip(1).Select(line => ParseInteraction(line, profiles));

    /// <summary>One line of interactions.csv; needs nothing but the profiles, so lines can be parsed in parallel.</summary>
    public static Interaction ParseInteraction(string line, IReadOnlyDictionary<string, PatientContext> profiles)
    {
        var c = line.Split(',');
        var when = DateTimeOffset.Parse(c[2], CultureInfo.InvariantCulture);
        var day = DateOnly.FromDateTime(when.UtcDateTime);
        var obs = new Dictionary<ClinicalFeature, Measurement>();
        for (var k = 0; k < ObservationColumns.Length; k++)
        {
            var (feature, secondary) = ObservationColumns[k];
            if (secondary || c[7 + k].Length == 0) continue;
            double? second = feature == ClinicalFeature.BloodPressure ? Double(c[8 + k]) : null;
            obs[feature] = new Measurement(double.Parse(c[7 + k], CultureInfo.InvariantCulture), day, second);
        }
        var profile = profiles.TryGetValue(c[0], out var p) ? p
            : new PatientContext { PatientId = c[0], AgeBand = "", Sex = "", SocioEconomicBand = "" };
        return new Interaction(c[0], c[1], when, System.Enum.Parse<Outcome>(c[3]), int.Parse(c[4], CultureInfo.InvariantCulture),
            int.Parse(c[5], CultureInfo.InvariantCulture), profile with { Observations = obs });
    }

    private static string Num(double x) => x.ToString(CultureInfo.InvariantCulture);
    private static int? Int(string s) => s.Length == 0 ? null : int.Parse(s, CultureInfo.InvariantCulture);
    private static double? Double(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
    private static T? Enum<T>(string s) where T : struct, Enum => s.Length == 0 ? null : System.Enum.Parse<T>(s);
}
