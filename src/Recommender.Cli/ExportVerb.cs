using System.IO.Compression;
using System.Net.Http.Headers;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    /// <summary>
    /// The service's live training set (GET /models/training-set, data-scientist token) written as a cohort folder, so
    /// <c>train</c>, <c>evaluate</c> and <c>retrain --data</c> run on what patients in the service really did.
    /// </summary>
    public static int Export(Args args)
    {
        var api = args.Text("api", "http://localhost:5080").TrimEnd('/');
        var token = args.Optional("token") ?? Environment.GetEnvironmentVariable("BENEFIT_TOKEN")
            ?? throw new ArgumentException("--token (or BENEFIT_TOKEN) is needed: a data-scientist's bearer token");
        var before = args.Optional("before");
        var output = args.Text("out", "var/live-cohort");
        args.RejectUnknown();

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var url = $"{api}/models/training-set" + (before is null ? "" : $"?before={Uri.EscapeDataString(before)}");
        using var response = http.GetAsync(url).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{(int)response.StatusCode} from {url}[/]: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
            return 1;
        }
        Directory.CreateDirectory(output);
        using (var zip = new ZipArchive(response.Content.ReadAsStream()))
            zip.ExtractToDirectory(output, overwriteFiles: true);
        var rows = File.ReadLines(Path.Combine(output, "interactions.csv")).Count() - 1;
        var patients = File.ReadLines(Path.Combine(output, "profiles.csv")).Count() - 1;
        AnsiConsole.MarkupLineInterpolated($"{rows:N0} outcomes of {patients:N0} pseudonymised patients written to {output}");
        return 0;
    }
}
