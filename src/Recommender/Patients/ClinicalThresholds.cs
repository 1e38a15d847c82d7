using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Patients;

/// <summary>
/// The one table of clinical thresholds (data/clinical-thresholds.json): it turns a patient's latest measurements into alerts
/// and tells the safety filter which measured contraindications a patient has, so the two can never disagree.
/// </summary>
public sealed class ClinicalThresholds
{
    private const string ResourceName = "clinical-thresholds.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private static readonly Lazy<ClinicalThresholds> Compiled = new(() =>
    {
        using var stream = typeof(ClinicalThresholds).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not compiled into {typeof(ClinicalThresholds).Assembly.GetName().Name}.");
        return Read(stream, ResourceName);
    });

    private readonly Dictionary<Contraindication, ContraindicationText> _texts;

    private ClinicalThresholds(string version, IReadOnlyList<ThresholdLine> lines, IReadOnlyList<ContraindicationText> texts)
    {
        Version = version;
        // Highest level first, then the highest value: the first line that fires is the feature's alert.
        Lines = lines.OrderByDescending(l => l.Level).ThenByDescending(l => l.AtLeast).ToList();
        _texts = texts.ToDictionary(t => t.Condition);
    }

    /// <summary>The copy of data/clinical-thresholds.json compiled into this library: what tools and tests use without a path.</summary>
    public static ClinicalThresholds Default => Compiled.Value;

    public string Version { get; }
    public IReadOnlyList<ThresholdLine> Lines { get; }

    public static ClinicalThresholds Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>The highest line the measurement reaches for this patient's sex, or null when it is within every threshold.</summary>
    public ClinicalAlert? Check(ClinicalFeature feature, Measurement measurement, string sex) =>
        Lines.Where(l => l.Feature == feature && l.AppliesTo(sex) && l.IsReachedBy(measurement))
            .Select(l => new ClinicalAlert(l, measurement)).FirstOrDefault();

    /// <summary>One alert per feature whose latest value reaches a line: critical first, then warning, info; newest first within a level.</summary>
    public IReadOnlyList<ClinicalAlert> Alerts(PatientContext patient) =>
        patient.Observations.Select(o => Check(o.Key, o.Value, patient.Sex)).OfType<ClinicalAlert>()
            .OrderByDescending(a => a.Level).ThenByDescending(a => a.Measurement.Date).ThenBy(a => a.Feature).ToList();

    /// <summary>Contraindications the latest measurements show, each with the alert behind it (any line naming one counts, whatever its level).</summary>
    public IReadOnlyDictionary<Contraindication, ClinicalAlert> MeasuredContraindications(PatientContext patient)
    {
        var found = new Dictionary<Contraindication, ClinicalAlert>();
        foreach (var line in Lines.Where(l => l.Contraindication is not null))
        {
            if (patient.Latest(line.Feature) is { } m && line.AppliesTo(patient.Sex) && line.IsReachedBy(m))
                found.TryAdd(line.Contraindication!.Value, new ClinicalAlert(line, m));
        }
        return found;
    }

    /// <summary>How a clinician names the condition and why it rules an intervention out.</summary>
    public ContraindicationText Describe(Contraindication condition) => _texts[condition];

    private static ClinicalThresholds Read(Stream stream, string name)
    {
        var file = JsonSerializer.Deserialize<ThresholdsFile>(stream, Json) ?? throw new InvalidDataException($"{name} holds no thresholds.");
        if (file.Lines.Count == 0)
            throw new InvalidDataException($"{name} holds no threshold lines.");
        if (file.Lines.GroupBy(l => (l.Feature, l.Level, l.Sex)).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"{name}: {twice.Key.Feature} has two {twice.Key.Level} lines{(twice.Key.Sex is null ? "" : $" for {twice.Key.Sex}")}.");
        if (file.Lines.FirstOrDefault(l => string.IsNullOrWhiteSpace(l.Source) || string.IsNullOrWhiteSpace(l.Meaning)) is { } unsourced)
            throw new InvalidDataException($"{name}: the {unsourced.Level} line of {unsourced.Feature} needs a meaning and a source.");
        if (file.Lines.FirstOrDefault(l => l.Sex is not null and not ("male" or "female")) is { } badSex)
            throw new InvalidDataException($"{name}: sex '{badSex.Sex}' on {badSex.Feature} must be male or female.");
        var missing = Enum.GetValues<Contraindication>().Where(c => file.Contraindications.All(t => t.Condition != c)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{name}: no text for contraindication {string.Join(", ", missing)}.");
        if (file.Contraindications.GroupBy(t => t.Condition).FirstOrDefault(g => g.Count() > 1) is { } twiceText)
            throw new InvalidDataException($"{name}: contraindication {twiceText.Key} appears twice.");
        return new ClinicalThresholds(file.Version, file.Lines, file.Contraindications);
    }

    private sealed record ThresholdsFile(string Version, IReadOnlyList<ThresholdLine> Lines, IReadOnlyList<ContraindicationText> Contraindications);
}

/// <summary>Info: out of target, for the plan. Warning: act at this visit. Critical: act today.</summary>
public enum AlertLevel { Info, Warning, Critical }

/// <summary>One line of the table: the level a feature's latest value reaches at <see cref="AtLeast"/>, why, and where the number comes from.</summary>
public sealed record ThresholdLine(
    ClinicalFeature Feature, AlertLevel Level, double AtLeast, string Meaning, string Source,
    double? SecondaryAtLeast = null, string? Sex = null, Contraindication? Contraindication = null)
{
    public bool AppliesTo(string sex) => Sex is null || string.Equals(Sex, sex, StringComparison.OrdinalIgnoreCase);

    public bool IsReachedBy(Measurement m) => m.Value >= AtLeast || (SecondaryAtLeast is { } s && m.Secondary >= s);

    /// <summary>"≥ 180/110 mmHg", "≥ 20", "≥ 102 cm (male)": the line as a clinician reads it.</summary>
    public string Threshold => "≥ " + ClinicalText.Number(Feature, AtLeast)
        + (SecondaryAtLeast is { } s ? "/" + ClinicalText.Number(Feature, s) : "")
        + (ClinicalText.Unit(Feature) is { Length: > 0 } unit ? " " + unit : "");
}

/// <summary>A latest measurement that reached a threshold line.</summary>
public sealed record ClinicalAlert(ThresholdLine Line, Measurement Measurement)
{
    public AlertLevel Level => Line.Level;
    public ClinicalFeature Feature => Line.Feature;

    /// <summary>"BP 184/112 mmHg on 9 Nov 2026 (≥ 180/110 mmHg: grade 3 hypertension: …)".</summary>
    public string Summary =>
        $"{ClinicalText.Label(Feature)} {ClinicalText.Value(Feature, Measurement)} on {ClinicalText.Date(Measurement.Date)} ({Line.Threshold}: {Line.Meaning})";
}

/// <summary>A contraindication as the clinician reads it.</summary>
public sealed record ContraindicationText(Contraindication Condition, string Label, string Why);
