using System.Globalization;
using System.Net;
using System.Text;
using Benefit.Recommender.Evaluation;
using ScottPlot;

namespace Benefit.Recommender.Reports;

/// <summary>report.html: the card's numbers as tables plus ScottPlot charts embedded as base64 PNGs (one self-contained file).</summary>
public static class ReportWriter
{
    /// <summary>Subgroups with fewer patients are not drawn: a metric over a handful of people can single one out.</summary>
    public const int MinimumGroupSize = 20;

    public static string Html(ModelCard card)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Model {Enc(card.Version)}</title>");
        html.Append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .6em;text-align:right}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Model {Enc(card.Version)}</h1><p>Data cutoff {card.DataCutoff:yyyy-MM-dd}; {card.TrainRows:N0} training rows, ");
        html.Append(CultureInfo.InvariantCulture, $"{card.HoldoutRows:N0} holdout rows, {card.Patients:N0} patients; seed {card.Seed}; {card.Epochs} epochs, trained in {card.TrainingSeconds:F1} s; commit {Enc(card.CodeCommit ?? "unknown")}.</p>");
        html.Append("<h2>Against the baselines (same holdout)</h2><table><tr><th>ranker</th><th>AUC</th><th>nDCG@5</th><th>P@5</th><th>R@5</th><th>MAP</th><th>coverage</th><th>largest SES gap</th></tr>");
        foreach (var r in card.Metrics)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Enc(r.Name)}</td><td>{r.Overall.Auc:F3}</td><td>{r.Overall.Ndcg5:F3}</td><td>{r.Overall.Precision5:F3}</td><td>{r.Overall.Recall5:F3}</td><td>{r.Overall.Map:F3}</td><td>{r.Overall.Coverage:F2}</td><td>{r.LargestGap.GetValueOrDefault("SES band"):F3}</td></tr>");
        html.Append("</table>");
        if (card.Metrics.Any(r => r.Name == LightGbmScorer.DisplayName) && card.Hyperparameters.BaselinePatients > 0)
            html.Append(CultureInfo.InvariantCulture, $"<p>{LightGbmScorer.DisplayName} is a baseline, trained on a seeded sample of at most {card.Hyperparameters.BaselinePatients:N0} patients.</p>");
        html.Append(Image(MetricsChart(card), "metrics against baselines"));
        PolicyValues(html, card);
        html.Append("<h2>Per subgroup (nDCG@5)</h2>");
        html.Append(Image(SubgroupChart(card), "per-subgroup nDCG@5"));
        if (card.Model.Subgroups.Where(g => g.Metrics.Patients < MinimumGroupSize).Select(g => $"{g.Dimension} {g.Group}").ToList() is { Count: > 0 } small)
            html.Append(CultureInfo.InvariantCulture, $"<p>Suppressed (fewer than {MinimumGroupSize} patients): {Enc(string.Join(", ", small))}.</p>");
        html.Append("<h2>Calibration</h2><p>The FFM's probability is an uncalibrated sigmoid; use it to rank, not as a chance.</p>");
        html.Append(Image(CalibrationChart(card), "calibration curve"));
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>G at top-3 per ranker, known and new patients, overall and per SES band; absent on real data (no hidden truth).</summary>
    private static void PolicyValues(StringBuilder html, ModelCard card)
    {
        if (card.PolicyValues.Count == 0) return;
        html.Append("<h2>Policy value against the cohort's hidden truth (top-3)</h2><p>G = (ranker − random) / (oracle − random); ");
        html.Append("known patients scored with their id, new ones as if it were unseen.</p><table><tr><th>ranker</th><th>patients</th><th>G</th><th>SES low</th><th>mid</th><th>high</th></tr>");
        foreach (var g in card.PolicyValues.Where(r => r.K == 3).GroupBy(r => (r.Ranker, r.Patients)))
        {
            string G(string dimension, string group) => g.FirstOrDefault(r => r.Dimension == dimension && r.Group == group)?.Gain.ToString("F3", CultureInfo.InvariantCulture) ?? "—";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Enc(g.Key.Ranker)}</td><td>{g.Key.Patients}</td><td>{G("all", "all")}</td><td>{G("SES band", "low")}</td><td>{G("SES band", "mid")}</td><td>{G("SES band", "high")}</td></tr>");
        }
        html.Append("</table>");
    }

    private static Plot MetricsChart(ModelCard card)
    {
        var plot = new Plot();
        string[] metrics = ["AUC", "nDCG@5", "P@5", "MAP"];
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var r = 0; r < card.Metrics.Count; r++)
        {
            var o = card.Metrics[r].Overall;
            double[] values = [o.Auc, o.Ndcg5, o.Precision5, o.Map];
            for (var m = 0; m < values.Length; m++)
                bars.Add(new Bar { Position = m * (card.Metrics.Count + 1) + r, Value = double.IsNaN(values[m]) ? 0 : values[m], FillColor = palette.GetColor(r) });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. metrics.Select((_, m) => m * (card.Metrics.Count + 1) + (card.Metrics.Count - 1) / 2.0)], metrics);
        for (var r = 0; r < card.Metrics.Count; r++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = card.Metrics[r].Name, FillColor = palette.GetColor(r) });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Holdout metrics");
        return plot;
    }

    private static Plot SubgroupChart(ModelCard card)
    {
        var plot = new Plot();
        var groups = card.Model.Subgroups.Where(g => g.Metrics.Patients >= MinimumGroupSize).ToList();
        plot.Add.Bars([.. groups.Select(g => g.Metrics.Ndcg5)]);
        plot.Axes.Bottom.SetTicks([.. groups.Select((_, i) => (double)i)], [.. groups.Select(g => g.Group)]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"{card.Model.Name} nDCG@5 by SES band, sex and age band");
        return plot;
    }

    private static Plot CalibrationChart(ModelCard card)
    {
        var plot = new Plot();
        plot.Add.Scatter(new double[] { 0, 1 }, new double[] { 0, 1 });
        if (card.Calibration.Count > 0)
            plot.Add.Scatter(card.Calibration.Select(c => c.Predicted).ToArray(), card.Calibration.Select(c => c.Observed).ToArray());
        plot.XLabel("predicted probability");
        plot.YLabel("observed kept-up rate");
        plot.Title("Calibration (holdout impressions)");
        return plot;
    }

    private static string Image(Plot plot, string alt) =>
        $"<img alt=\"{alt}\" src=\"data:image/png;base64,{Convert.ToBase64String(plot.GetImageBytes(720, 360, ImageFormat.Png))}\">";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
