using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

/// <summary>Draws plausible cardiac-rehab patients; every number's source is in data/README.md.</summary>
public static class PatientSampler
{
    public const int TasteDimensions = 3;

    public static CohortPatient Sample(Random rng, string id, DateOnly from, DateOnly to,
        int? age = null, string? sex = null, string? ses = null, string? language = null)
    {
        var a = age ?? rng.Next(45, 86);
        var s = sex ?? (rng.NextDouble() < 0.70 ? "male" : "female");
        var band = ses ?? Pick(rng, ("low", 0.30), ("mid", 0.40), ("high", 0.30));
        var male = s == "male";
        var sesShift = band switch { "low" => 1.0, "mid" => 0.0, _ => -1.0 };

        var smokerP = 0.20 + 0.08 * sesShift;
        var smoker = rng.NextDouble() < smokerP;
        var formerP = smoker ? 0 : 0.45;
        var smokingCode = smoker ? (rng.NextDouble() < 0.3 ? "428071000124103" : "449868002")
            : rng.NextDouble() < formerP ? "8517006" : "266919005";
        var hypertensive = rng.NextDouble() < 0.45 + 0.005 * (a - 45) + 0.04 * sesShift;
        var diabetic = rng.NextDouble() < 0.20 + 0.04 * sesShift;

        var height = Normal(rng, male ? 178 : 165, 7);
        var bmi = Math.Clamp(Normal(rng, 28 + 1.0 * sesShift, 4.5), 18.5, 48);
        var weight = bmi * height * height / 10000;
        var sbp = Math.Clamp(Normal(rng, hypertensive ? 146 : 126, 13), 95, 200);
        var dbp = Math.Clamp(sbp * 0.58 + Normal(rng, 4, 6), 55, 120);
        var steps = Math.Clamp(Normal(rng, 7200 - 40 * (a - 60) - 700 * sesShift, 2400), 800, 18000);
        var phq = Math.Clamp(Gamma2(rng, 2.5 + 1.0 * sesShift + (male ? 0 : 0.8)), 0, 27);

        var baseline = new Dictionary<ObservationKind, (double Value, double Sd, int EveryDays)>
        {
            [ObservationKind.Systolic] = (sbp, 6, 28),
            [ObservationKind.Weight] = (weight, 0.8, 42),
            [ObservationKind.Waist] = (Math.Clamp(bmi * 3.3 + (male ? 10 : 0), 65, 150), 1.5, 84),
            [ObservationKind.HbA1c] = (Math.Clamp(diabetic ? Normal(rng, 7.4, 1.0) : Normal(rng, 5.6, 0.35), 4.5, 12), 0.2, 84),
            [ObservationKind.Ldl] = (Math.Clamp(Normal(rng, 2.3, 0.8), 0.8, 6), 0.2, 84),
            [ObservationKind.Hdl] = (Math.Clamp(Normal(rng, male ? 1.2 : 1.5, 0.3), 0.6, 2.8), 0.08, 84),
            [ObservationKind.Smoking] = (smoker ? 1 : 0, 0, 84),
            [ObservationKind.Steps] = (steps, 900, 21),
            [ObservationKind.Exercise] = (Math.Clamp(steps / 60 + Normal(rng, 0, 30), 0, 600), 20, 42),
            [ObservationKind.Phq9] = (phq, 1.5, 56),
            [ObservationKind.Gad7] = (Math.Clamp(phq * 0.7 + Normal(rng, 0, 2), 0, 21), 1.5, 56),
            [ObservationKind.Stress] = (Math.Clamp(Normal(rng, 4 + 0.5 * sesShift + phq / 9, 2), 0, 10), 1, 56),
            [ObservationKind.AuditC] = (Math.Clamp(Gamma2(rng, male ? 3.2 : 2.0), 0, 12), 0.7, 84),
        };
        var series = SeriesBuilder.Build(rng, baseline, from, to, dbp, height);

        return new CohortPatient
        {
            Id = id, Age = a, Sex = s, SocioEconomicBand = band, HeightCm = Math.Round(height, 1),
            SmokingCode = smokingCode, Series = series, Language = language ?? (rng.NextDouble() < 0.9 ? "nl" : "en"),
            Preferences = SamplePreferences(rng, a, band),
            Taste = [.. Enumerable.Range(0, TasteDimensions).Select(_ => Normal(rng, 0, 1))],
        };
    }

    private static Preferences SamplePreferences(Random rng, int age, string ses)
    {
        var stated = rng.NextDouble() < 0.75;
        if (!stated) return new Preferences();
        var goals = Enum.GetValues<RiskTarget>().Where(_ => rng.NextDouble() < 0.15).ToArray();
        return new Preferences
        {
            Guidance = Maybe(rng, 0.6, rng.NextDouble() < 0.6 ? Guidance.Guided : Guidance.Unguided),
            Delivery = Maybe(rng, 0.6, age >= 75 ? Pick(rng, (Delivery.InPerson, 0.7), (Delivery.Online, 0.2), (Delivery.App, 0.1))
                : Pick(rng, (Delivery.InPerson, 0.4), (Delivery.Online, 0.3), (Delivery.App, 0.3))),
            Setting = Maybe(rng, 0.5, rng.NextDouble() < 0.5 ? Setting.Group : Setting.Individual),
            MaxCostEuroCents = ses == "low" ? (rng.NextDouble() < 0.7 ? 0 : 2500) : rng.NextDouble() < 0.5 ? null : rng.Next(0, 6) * 5000,
            MinutesPerWeek = rng.NextDouble() < 0.5 ? null : rng.Next(2, 13) * 15,
            Goals = goals,
        };
    }

    internal static double Normal(Random rng, double mean, double sd) =>
        mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Right-skewed score (sum of two exponentials) for questionnaires whose population mean is low.</summary>
    private static double Gamma2(Random rng, double mean) =>
        -mean / 2 * (Math.Log(1 - rng.NextDouble()) + Math.Log(1 - rng.NextDouble()));

    private static T? Maybe<T>(Random rng, double p, T value) where T : struct => rng.NextDouble() < p ? value : null;

    private static T Pick<T>(Random rng, params (T Value, double P)[] options)
    {
        var u = rng.NextDouble();
        foreach (var (value, p) in options)
            if ((u -= p) < 0) return value;
        return options[^1].Value;
    }
}
