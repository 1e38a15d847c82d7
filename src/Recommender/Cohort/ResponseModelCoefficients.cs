using System.Globalization;
using System.Text.Json;

namespace Benefit.Recommender.Cohort;

/// <summary>Logit terms for one socio-economic band; each applies when the intervention has that property.</summary>
public sealed record SesTerms(double Free, double Paid, double InPersonGroup, double UnguidedRemote, double Remote);

/// <summary>
/// Every number of the hidden response model (data/response-model.json; data/README.md says where they come from).
/// <see cref="Default"/> is the population the generator and the default model were built with.
/// </summary>
public sealed record ResponseModelCoefficients
{
    public required double Intercept { get; init; }
    /// <summary>Standard deviation of each intervention's hidden appeal, drawn once per intervention.</summary>
    public required double ItemAppealSd { get; init; }
    public required double PerNeedMatched { get; init; }
    public required double MaxNeedsMatched { get; init; }
    public required double GoalMatch { get; init; }
    /// <summary>Added when the patient has out-of-range values and the intervention addresses none of them.</summary>
    public required double NoNeedAddressed { get; init; }
    public required double GuidanceMatch { get; init; }
    public required double DeliveryMatch { get; init; }
    public required double SettingMatch { get; init; }
    public required double OverMaxCost { get; init; }
    public required double OverMinutes { get; init; }
    /// <summary>How many times the stated minutes per week an intervention may need before <see cref="OverMinutes"/> applies.</summary>
    public required double OverMinutesFactor { get; init; }
    public required SesTerms SesLow { get; init; }
    public required SesTerms SesMid { get; init; }
    public required SesTerms SesHigh { get; init; }
    public required double Age75App { get; init; }
    public required double Age75InPersonGroup { get; init; }
    public required double WomenGroup { get; init; }
    public required double LanguageMismatch { get; init; }
    public required double ItemTasteSd { get; init; }
    public required double TasteWeight { get; init; }
    /// <summary>Among those who do not keep up: the share who enrol and drop out (&lt; 50 % of planned sessions).</summary>
    public required double DroppedShare { get; init; }
    /// <summary>Among those who neither keep up nor drop: the share who say "not for me".</summary>
    public required double DeclinedShare { get; init; }
    /// <summary>Among the rest: the share who say "not now" instead of ignoring it (the simulator's; the generated cohort has no postponed rows).</summary>
    public required double PostponedShare { get; init; }

    public static ResponseModelCoefficients Default { get; } = new()
    {
        Intercept = -1.6, ItemAppealSd = 0.4, PerNeedMatched = 0.9, MaxNeedsMatched = 2, GoalMatch = 0.7, NoNeedAddressed = -0.6,
        GuidanceMatch = 0.6, DeliveryMatch = 0.7, SettingMatch = 0.5, OverMaxCost = -1.8, OverMinutes = -0.8, OverMinutesFactor = 1.5,
        SesLow = new SesTerms(Free: 0.4, Paid: -1.2, InPersonGroup: 0.9, UnguidedRemote: -0.9, Remote: 0),
        SesMid = new SesTerms(Free: 0.2, Paid: -0.4, InPersonGroup: 0, UnguidedRemote: 0, Remote: 0),
        SesHigh = new SesTerms(Free: 0, Paid: 0.1, InPersonGroup: 0, UnguidedRemote: 0, Remote: 0.4),
        Age75App = -0.9, Age75InPersonGroup = 0.3, WomenGroup = 0.3, LanguageMismatch = -1.0,
        ItemTasteSd = 1, TasteWeight = 0.8, DroppedShare = 0.35, DeclinedShare = 0.4, PostponedShare = 0.3,
    };

    public SesTerms Ses(string band) => band switch { "low" => SesLow, "high" => SesHigh, _ => SesMid };

    public static ResponseModelCoefficients Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"response model file {path} does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Every coefficient is required: a missing or non-numeric one is refused with its JSON path, never defaulted.</summary>
    public static ResponseModelCoefficients Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: $ must be an object.");
            double N(string path) => Number(root, path, source);
            SesTerms Band(string band) => new(N($"ses.{band}.free"), N($"ses.{band}.paid"), N($"ses.{band}.inPersonGroup"),
                N($"ses.{band}.unguidedRemote"), N($"ses.{band}.remote"));
            var result = new ResponseModelCoefficients
            {
                Intercept = N("intercept"), ItemAppealSd = N("itemAppealSd"), PerNeedMatched = N("perNeedMatched"),
                MaxNeedsMatched = N("maxNeedsMatched"), GoalMatch = N("goalMatch"), NoNeedAddressed = N("noNeedAddressed"),
                GuidanceMatch = N("preferences.guidanceMatch"), DeliveryMatch = N("preferences.deliveryMatch"),
                SettingMatch = N("preferences.settingMatch"), OverMaxCost = N("preferences.overMaxCost"),
                OverMinutes = N("preferences.overMinutes"), OverMinutesFactor = N("preferences.overMinutesFactor"),
                SesLow = Band("low"), SesMid = Band("mid"), SesHigh = Band("high"),
                Age75App = N("age75.app"), Age75InPersonGroup = N("age75.inPersonGroup"), WomenGroup = N("womenGroup"),
                LanguageMismatch = N("languageMismatch"), ItemTasteSd = N("itemTasteSd"), TasteWeight = N("tasteWeight"),
                DroppedShare = N("outcomes.droppedShare"), DeclinedShare = N("outcomes.declinedShare"),
                PostponedShare = N("outcomes.postponedShare"),
            };
            foreach (var (name, share) in new[] { ("outcomes.droppedShare", result.DroppedShare), ("outcomes.declinedShare", result.DeclinedShare),
                         ("outcomes.postponedShare", result.PostponedShare) })
                if (share is < 0 or > 1) throw new InvalidDataException($"{source}: $.{name} must be between 0 and 1 (is {share.ToString(CultureInfo.InvariantCulture)}).");
            return result;
        }
    }

    private static double Number(JsonElement root, string path, string source)
    {
        var element = root;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                throw new InvalidDataException($"{source}: coefficient $.{path} is missing.");
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new InvalidDataException($"{source}: coefficient $.{path} is not a number (found {element.ValueKind}).");
        return value;
    }
}
