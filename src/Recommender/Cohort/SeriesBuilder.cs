namespace Benefit.Recommender.Cohort;

/// <summary>Turns baseline values into dated, slowly drifting measurement series.</summary>
internal static class SeriesBuilder
{
    private static readonly (ObservationKind Kind, double Min, double Max, int Decimals)[] Ranges =
    [
        (ObservationKind.Systolic, 90, 210, 0), (ObservationKind.Weight, 40, 200, 1), (ObservationKind.Waist, 60, 160, 0),
        (ObservationKind.HbA1c, 4.2, 13, 1), (ObservationKind.Ldl, 0.5, 7, 1),
        (ObservationKind.Smoking, 0, 1, 0), (ObservationKind.Steps, 300, 25000, -2), (ObservationKind.Exercise, 0, 700, 0),
        (ObservationKind.Phq9, 0, 27, 0), (ObservationKind.Gad7, 0, 21, 0), (ObservationKind.Stress, 0, 10, 0),
        (ObservationKind.AuditC, 0, 12, 0),
    ];

    public static Dictionary<ObservationKind, Series> Build(Random rng,
        Dictionary<ObservationKind, (double Value, double Sd, int EveryDays)> baseline, DateOnly from, DateOnly to,
        double diastolic, double heightCm)
    {
        var result = new Dictionary<ObservationKind, Series>();
        foreach (var (kind, min, max, decimals) in Ranges)
        {
            var (value, sd, every) = baseline[kind];
            var dates = new List<DateOnly>();
            for (var d = from.AddDays(rng.Next(0, every)); d <= to; d = d.AddDays(every + rng.Next(-3, 4)))
                dates.Add(d);
            if (dates.Count == 0) dates.Add(to);
            // Cardiac rehab improves most risk factors a little over the year; the drift makes trends visible.
            var drift = PatientSampler.Normal(new Random(rng.Next()), -0.04, 0.05) * value;
            var values = new double[dates.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var t = (dates[i].DayNumber - from.DayNumber) / 365.0;
                var x = kind == ObservationKind.Smoking ? value : value + drift * t + PatientSampler.Normal(rng, 0, sd);
                values[i] = Round(Math.Clamp(x, min, max), decimals);
            }
            result[kind] = new Series([.. dates], values);
            if (kind == ObservationKind.Systolic)
                result[ObservationKind.Diastolic] = new Series([.. dates],
                    [.. values.Select(s => Round(Math.Clamp(diastolic + (s - value) * 0.5 + PatientSampler.Normal(rng, 0, 3), 50, 130), 0))]);
            if (kind == ObservationKind.Weight)
            {
                var m = heightCm / 100;
                result[ObservationKind.Bmi] = new Series([.. dates], [.. values.Select(w => Round(w / (m * m), 1))]);
                result[ObservationKind.Height] = new Series([dates[0]], [Round(heightCm, 0)]);
            }
            if (kind == ObservationKind.Ldl)
            {
                // HDL and total cholesterol come from the same lipid panel, so they share its dates.
                var (hdl, hdlSd, _) = baseline[ObservationKind.Hdl];
                var hdlValues = values.Select(_ => Round(Math.Clamp(hdl + PatientSampler.Normal(rng, 0, hdlSd), 0.5, 3), 1)).ToArray();
                result[ObservationKind.Hdl] = new Series([.. dates], hdlValues);
                result[ObservationKind.TotalCholesterol] = new Series([.. dates], [.. values.Select((l, i) => Round(l + hdlValues[i] + 0.6, 1))]);
            }
        }
        return result;
    }

    private static double Round(double x, int decimals) =>
        decimals >= 0 ? Math.Round(x, decimals) : Math.Round(x / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals);
}
