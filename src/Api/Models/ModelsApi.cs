using System.Globalization;
using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Benefit.Api.Audit;
using Benefit.Api.Jobs;
using Benefit.Api.Security;
using Benefit.Recommender.Learning;
using Benefit.Recommender.Reports;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Models;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/models").WithTags("Models").RequireAuthorization(p => p.RequireRole(Roles.DataScientist));

        api.MapGet("/", ListModels).WithName(nameof(ListModels))
            .WithSummary("Model versions with status (champion, challenger, rejected, retired), headline metrics and the gate's decision");
        api.MapGet("/{version}", GetModel).WithName(nameof(GetModel))
            .WithSummary("The model card: data cutoff, rows, hyperparameters, seed, metrics overall and per subgroup, decision");
        api.MapGet("/{version}/report", GetReport).WithName(nameof(GetReport))
            .WithSummary("The HTML report with plots: metrics against baselines, per-subgroup bars, calibration");
        api.MapGet("/training-set", ExportTrainingSet).WithName(nameof(ExportTrainingSet))
            .WithSummary("The live training set as the cohort's two CSV files in a zip: decided outcomes of patients with training consent, pseudonymised ids")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip");
        api.MapPost("/retrain", Retrain).WithName(nameof(Retrain))
            .WithSummary("Queue a retrain now; answers with the job's location").RequireRateLimiting(RateLimits.Writes);
        api.MapPost("/{version}/promote", Promote).WithName(nameof(Promote))
            .WithSummary("Make a version champion by hand; the answer shows the same comparison the nightly gate uses").RequireRateLimiting(RateLimits.Writes);
        api.MapPost("/rollback", Rollback).WithName(nameof(Rollback))
            .WithSummary("Back to the previous champion").RequireRateLimiting(RateLimits.Writes);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ModelSummary>>> ListModels(ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ModelSummary>>([.. (await registry.ListAsync(ct)).Select(ModelSummary.From)]);

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetModel(string version, ModelRegistry registry, CancellationToken ct)
    {
        var record = await registry.FindAsync(version, ct);
        if (record is null)
            return NotFound(version);
        var card = SmallGroupSuppression.Apply(JsonNode.Parse(record.CardJson)!, ReportWriter.MinimumGroupSize);
        return TypedResults.Ok(JsonSerializer.SerializeToElement(new
        {
            record.Version, record.Status, record.CreatedAt, record.PromotedAt, record.Decision, record.PreviousChampion,
            HasModelFile = record.ModelBytes is not null, Card = card,
        }, JsonSerializerOptions.Web));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetReport(string version, ModelRegistry registry, CancellationToken ct)
    {
        var record = await registry.FindAsync(version, ct);
        if (record?.ReportHtml is null)
            return record is null ? NotFound(version)
                : TypedResults.Problem(statusCode: 404, title: "No report", detail: $"Model '{version}' has no report.");
        return TypedResults.Content(record.ReportHtml, "text/html; charset=utf-8");
    }

    /// <summary>What tonight's retrain would learn from, as of now (or <paramref name="before"/>), for <c>benefit-ml export</c>; the export is audited.</summary>
    public static async Task<FileContentHttpResult> ExportTrainingSet(LiveTrainingData live, IOptions<RetrainOptions> retrain, AuditLog audit,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct, DateTimeOffset? before = null)
    {
        var cutoff = before ?? clock.GetUtcNow();
        var set = await live.LoadAsync(cutoff, retrain.Value.OutcomeRules(), ct);
        using var zip = new MemoryStream();
        (int Patients, int Rows) written;
        var profiles = new StringWriter();
        var interactions = new StringWriter();
        written = LiveCohortCsv.Write(profiles, interactions, set.Trainable);
        // A zip being written can have one entry open at a time.
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in new[] { ("profiles.csv", profiles), ("interactions.csv", interactions) })
            {
                await using var entry = new StreamWriter(await archive.CreateEntry(name).OpenAsync(ct));
                await entry.WriteAsync(text.ToString());
            }
        await audit.RecordAsync(user, null, "models.training-set.export", "allowed",
            $"{written.Rows} outcomes of {written.Patients} pseudonymised patients before {cutoff:O}", ct);
        return TypedResults.File(zip.ToArray(), "application/zip", $"benefit-training-set-{cutoff:yyyyMMdd}.zip");
    }

    public static async Task<Results<Accepted<RetrainQueued>, ProblemHttpResult>> Retrain(
        JobRunGuard guard, IBackgroundJobClient jobs, TimeProvider clock, CancellationToken ct)
    {
        if (await guard.IsRunningAsync(RetrainJob.JobName, ct))
            return TypedResults.Problem(statusCode: 409, title: "A retrain is already running", detail: "Wait for it to finish; see /jobs.");
        var runKey = "manual-" + clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var id = jobs.Enqueue<RetrainJob>(j => j.RunAsync(runKey, CancellationToken.None));
        return TypedResults.Accepted($"/jobs/jobs/details/{id}", new RetrainQueued(id, runKey, $"/models/{runKey}"));
    }

    public static async Task<Results<Ok<ModelSummary>, ProblemHttpResult>> Promote(
        string version, ModelRegistry registry, ModelServing serving, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var record = await registry.PromoteAsync(version, user.Subject(), ct);
            await serving.RefreshAsync(ct);
            return TypedResults.Ok(ModelSummary.From(record));
        }
        catch (ModelRegistryException e)
        {
            return TypedResults.Problem(statusCode: e.Status, title: e.Status == 404 ? "Model not found" : "Cannot promote", detail: e.Message);
        }
    }

    public static async Task<Results<Ok<ModelSummary>, ProblemHttpResult>> Rollback(
        ModelRegistry registry, ModelServing serving, ClaimsPrincipal user, CancellationToken ct)
    {
        try
        {
            var record = await registry.RollbackAsync(user.Subject(), ct);
            await serving.RefreshAsync(ct);
            return TypedResults.Ok(ModelSummary.From(record));
        }
        catch (ModelRegistryException e)
        {
            return TypedResults.Problem(statusCode: e.Status, title: "Cannot roll back", detail: e.Message);
        }
    }

    private static ProblemHttpResult NotFound(string version) =>
        TypedResults.Problem(statusCode: 404, title: "Model not found", detail: $"No model version '{version}'.");
}

public sealed record RetrainQueued(string JobId, string RunKey, string Model);

/// <summary>One row of the registry with the numbers a data scientist compares first.</summary>
public sealed record ModelSummary(string Version, string Status, DateTime CreatedAt, DateTime? PromotedAt, double? Ndcg5, double? Auc,
    double? SesGap, string? Decision, string? PreviousChampion)
{
    public static ModelSummary From(ModelVersionRecord r)
    {
        double? ndcg = null, auc = null, gap = null;
        using var card = JsonDocument.Parse(r.CardJson);
        if (card.RootElement.TryGetProperty("metrics", out var metrics) && metrics.GetArrayLength() > 0)
        {
            var model = metrics[0];
            ndcg = model.GetProperty("overall").GetProperty("ndcg5").GetDouble();
            auc = model.GetProperty("overall").GetProperty("auc").GetDouble();
            if (model.GetProperty("largestGap").TryGetProperty("SES band", out var g)) gap = g.GetDouble();
        }
        return new ModelSummary(r.Version, r.Status, r.CreatedAt, r.PromotedAt, ndcg, auc, gap, r.Decision, r.PreviousChampion);
    }
}
