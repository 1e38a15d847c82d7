using System.Globalization;
using System.Net;
using System.Text;

namespace Benefit.Simulator;

/// <summary>Writes table.csv (one row per week), groups.csv (per subgroup and week) and report.html (learning curves as inline SVG).</summary>
public static class SimulationReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(SimulationResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "table.csv"), Table(result));
        File.WriteAllText(Path.Combine(directory, "groups.csv"), GroupsTable(result));
        File.WriteAllText(Path.Combine(directory, "report.html"), Html(result));
    }

    public static string Table(SimulationResult result)
    {
        var sb = new StringBuilder();
        var sesBands = new[] { "low", "mid", "high" };
        sb.AppendLine("week,monday,patients,lists_served,loop,random,popularity,guideline,oracle,g_loop,g_popularity,g_guideline," +
                      string.Join(",", sesBands.Select(b => $"g_loop_ses_{b}")) +
                      ",exploration_share,enrolments,kept_up,declined,postponed,reviews,sessions_reported,sessions_refused," +
                      "rows_learned,promoted,rejected,champion_after,requests,api_seconds,night_seconds,served_by");
        foreach (var w in result.Weeks)
        {
            var o = w.Overall;
            var ses = sesBands.Select(b => F(w.Groups.FirstOrDefault(g => g.Dimension == "SES band" && g.Group == b)?.LoopGain ?? double.NaN));
            sb.AppendLine(string.Join(",", [
                w.Week.ToString(Inv), w.Monday.ToString("yyyy-MM-dd", Inv), w.Patients.ToString(Inv), w.ListsServed.ToString(Inv),
                F(o.Loop), F(o.Random), F(o.Popularity), F(o.Guideline), F(o.Oracle), F(o.LoopGain), F(o.PopularityGain), F(o.GuidelineGain),
                .. ses, F(w.ExplorationShare), w.Enrolments.ToString(Inv), w.KeptUp.ToString(Inv), w.Declined.ToString(Inv), w.Postponed.ToString(Inv),
                w.Reviews.ToString(Inv), w.SessionsReported.ToString(Inv), w.SessionsRefused.ToString(Inv),
                w.Night.RowsLearned?.ToString(Inv) ?? "", w.Night.Promoted.ToString(Inv), w.Night.Rejected.ToString(Inv), Csv(w.Night.Champion),
                w.Requests.ToString(Inv), F(w.ApiSeconds, 1), F(w.Night.Seconds, 1), Csv(w.ServedBy)]));
        }
        return sb.ToString();
    }

    public static string GroupsTable(SimulationResult result)
    {
        var sb = new StringBuilder("week,dimension,group,patients,loop,random,popularity,guideline,oracle,g_loop,g_popularity,g_guideline\n");
        foreach (var w in result.Weeks)
            foreach (var g in w.Groups.Prepend(w.Overall))
                sb.AppendLine(string.Join(",", w.Week.ToString(Inv), Csv(g.Dimension), Csv(g.Group), g.Count.ToString(Inv), F(g.Loop), F(g.Random),
                    F(g.Popularity), F(g.Guideline), F(g.Oracle), F(g.LoopGain), F(g.PopularityGain), F(g.GuidelineGain)));
        return sb.ToString();
    }

    public static string Html(SimulationResult result)
    {
        var o = result.Options;
        var weeks = result.Weeks;
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Benefit closed-loop simulation</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:13px}")
          .Append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}svg{background:#fff;border:1px solid #ddd}")
          .Append("</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Closed-loop simulation</h1><p>{o.Patients:N0} patients, {o.Weeks} weeks, seed {o.Seed}, top-{o.TopK}, ")
          .Append(CultureInfo.InvariantCulture, $"start: {(o.Start == SimulationStart.Default ? "shipped default model" : "no model")}, ")
          .Append(CultureInfo.InvariantCulture, $"response model {WebUtility.HtmlEncode(o.ResponseModelPath)}; {result.TotalSeconds / 60:F1} minutes in all.</p>");
        sb.Append("<p>Policy value = mean true keep-up probability of the top k served (from the hidden response model, no sampling noise). ")
          .Append("G = (value − random-safe) / (oracle − random-safe): 0 is chance among the allowed items, 1 the best list the truth allows.</p>");

        sb.Append("<h2>G per week</h2>");
        sb.Append(Chart(weeks, [
            ("loop (the service)", "#1f77b4", w => w.Overall.LoopGain),
            ("popularity", "#ff7f0e", w => w.Overall.PopularityGain),
            ("guideline rules", "#2ca02c", w => w.Overall.GuidelineGain)]));
        sb.Append("<h2>Loop G per SES band</h2>");
        sb.Append(Chart(weeks, [.. new[] { ("low", "#d62728"), ("mid", "#9467bd"), ("high", "#8c564b") }.Select(b =>
            ($"SES {b.Item1}", b.Item2, (Func<WeekResult, double>)(w =>
                w.Groups.FirstOrDefault(g => g.Dimension == "SES band" && g.Group == b.Item1)?.LoopGain ?? double.NaN)))]));

        sb.Append("<h2>Per week</h2><table><tr><th>week</th><th>loop</th><th>random</th><th>popularity</th><th>rules</th><th>oracle</th>")
          .Append("<th>G loop</th><th>G pop</th><th>G rules</th><th>exploration</th><th>enrolled</th><th>sessions</th><th>rows learned</th>")
          .Append("<th>promoted / rejected</th><th>champion after</th><th>API s</th><th>night s</th></tr>");
        foreach (var w in weeks)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{w.Week}</td><td>{F(w.Overall.Loop)}</td><td>{F(w.Overall.Random)}</td><td>{F(w.Overall.Popularity)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{F(w.Overall.Guideline)}</td><td>{F(w.Overall.Oracle)}</td><td>{F(w.Overall.LoopGain)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{F(w.Overall.PopularityGain)}</td><td>{F(w.Overall.GuidelineGain)}</td><td>{w.ExplorationShare:P1}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{w.Enrolments}</td><td>{w.SessionsReported}</td><td>{w.Night.RowsLearned}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{w.Night.Promoted} / {w.Night.Rejected}</td><td>{WebUtility.HtmlEncode(w.Night.Champion)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{w.ApiSeconds:F1}</td><td>{w.Night.Seconds:F1}</td></tr>");
        sb.Append("</table>");

        if (weeks.Count > 0)
        {
            var last = weeks[^1];
            sb.Append(CultureInfo.InvariantCulture, $"<h2>Subgroups in week {last.Week}</h2><table><tr><th>dimension</th><th>group</th><th>patients</th>")
              .Append("<th>G loop</th><th>G popularity</th><th>G rules</th></tr>");
            foreach (var g in last.Groups)
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{g.Dimension}</td><td>{g.Group}</td><td>{g.Count}</td><td>{F(g.LoopGain)}</td>")
                  .Append(CultureInfo.InvariantCulture, $"<td>{F(g.PopularityGain)}</td><td>{F(g.GuidelineGain)}</td></tr>");
            sb.Append("</table>");
        }
        if (result.Notes.Count > 0)
            sb.Append("<h2>Notes</h2><ul>").AppendJoin("", result.Notes.Select(n => $"<li>{WebUtility.HtmlEncode(n)}</li>")).Append("</ul>");
        return sb.Append("</body></html>").ToString();
    }

    /// <summary>Lines over weeks on a fixed G axis from −0.2 to 1 (random 0, oracle 1 drawn as references).</summary>
    private static string Chart(IReadOnlyList<WeekResult> weeks, (string Name, string Colour, Func<WeekResult, double> Value)[] series)
    {
        const int width = 720, height = 300, left = 50, right = 170, top = 15, bottom = 35;
        const double min = -0.2, max = 1.0;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        var n = Math.Max(1, weeks.Count - 1);
        double X(int i) => left + plotW * (weeks.Count == 1 ? 0.5 : i / (double)n);
        double Y(double g) => top + plotH * (1 - (Math.Clamp(g, min, max) - min) / (max - min));

        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        foreach (var g in new[] { 0.0, 0.25, 0.5, 0.75, 1.0 })
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{Y(g):F1}\" y2=\"{Y(g):F1}\" stroke=\"{(g is 0 or 1 ? "#999" : "#eee")}\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(g) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{g:F2}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW + 4}\" y=\"{Y(1) + 4:F1}\" font-size=\"10\" fill=\"#666\">oracle</text>")
          .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW + 4}\" y=\"{Y(0) + 4:F1}\" font-size=\"10\" fill=\"#666\">random</text>");
        for (var i = 0; i < weeks.Count; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):F1}\" y=\"{height - bottom + 15}\" font-size=\"11\" text-anchor=\"middle\">{weeks[i].Week}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2}\" y=\"{height - 5}\" font-size=\"11\" text-anchor=\"middle\">week</text>");
        for (var s = 0; s < series.Length; s++)
        {
            var (name, colour, value) = series[s];
            var pts = weeks.Select((w, i) => (i, v: value(w))).Where(p => !double.IsNaN(p.v)).ToList();
            if (pts.Count > 0)
                sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"")
                  .AppendJoin(" ", pts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.i):F1},{Y(p.v):F1}")))
                  .Append("\"/>")
                  .AppendJoin("", pts.Select(p => string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.i):F1}\" cy=\"{Y(p.v):F1}\" r=\"2.5\" fill=\"{colour}\"/>")));
            var ly = top + 18 * s + 20;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + plotW + 45}\" y=\"{ly - 8}\" width=\"12\" height=\"3\" fill=\"{colour}\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW + 62}\" y=\"{ly - 3}\" font-size=\"11\">{WebUtility.HtmlEncode(name)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string F(double v, int digits = 4) => double.IsNaN(v) ? "" : v.ToString("F" + digits, Inv);

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
