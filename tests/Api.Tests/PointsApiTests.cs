using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;
using Benefit.Loyalty;
using Benefit.Loyalty.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests;

public abstract class PointsApiTests(AppFixture fixture)
{
    private static HttpRequestMessage Post(string url, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private object Activity(string patient, string type, int daysAgo, string? eventId = null, string? interventionId = null) => new
    {
        patientId = patient, activityType = type, occurredAt = fixture.App.Clock.GetUtcNow().AddDays(-daysAgo), externalEventId = eventId ?? Guid.NewGuid().ToString(),
        interventionId,
    };

    private async Task<int> BalanceAsync(string patient) =>
        (await (await fixture.App.ClientFor(Caller.PatientSelf(patient)).GetAsync($"/patients/{patient}/points")).JsonAsync())
            .GetProperty("statement").GetProperty("balance").GetInt32();

    [Fact]
    public async Task Awards_redemptions_and_reversals_work_end_to_end_with_idempotency()
    {
        const string patient = "demo-patient-11";
        var provider = fixture.App.ClientFor(Caller.ProviderGym);
        var me = fixture.App.ClientFor(Caller.PatientSelf(patient));

        await (await provider.SendAsync(Post("/activities", Activity(patient, "course-completed", 1), null))).ProblemAsync(400);
        var key = Guid.NewGuid().ToString();
        var body = Activity(patient, "course-completed", 1, "evt-1");
        var first = await (await provider.SendAsync(Post("/activities", body, key))).JsonAsync();
        var replay = await (await provider.SendAsync(Post("/activities", body, key))).JsonAsync();
        var reused = await (await provider.SendAsync(Post("/activities", Activity(patient, "course-completed", 2), key))).ProblemAsync(422);
        Assert.Equal(200, first.GetProperty("points").GetInt32());
        Assert.Equal(first.GetProperty("entryId").GetInt64(), replay.GetProperty("entryId").GetInt64());
        Assert.Equal("IdempotencyKeyReused", reused.GetProperty("code").GetString());
        foreach (var days in new[] { 8, 15, 22 })
            Assert.Equal(HttpStatusCode.OK, (await provider.SendAsync(Post("/activities", Activity(patient, "course-completed", days), Guid.NewGuid().ToString()))).StatusCode);
        var unknown = await (await provider.SendAsync(Post("/activities", Activity(patient, "knitting", 1), Guid.NewGuid().ToString()))).JsonAsync();
        Assert.Equal("UnknownActivityType", unknown.GetProperty("reason").GetString());

        var points = await (await me.GetAsync($"/patients/{patient}/points")).JsonAsync();
        Assert.Equal(800, points.GetProperty("statement").GetProperty("balance").GetInt32());

        var created = await me.SendAsync(Post($"/patients/{patient}/redemptions", new { rewardId = "herbal-tea-set" }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rid = (await created.JsonAsync()).GetProperty("id").GetString();
        var tooPoor = await (await me.SendAsync(Post($"/patients/{patient}/redemptions", new { rewardId = "herbal-tea-set" }, Guid.NewGuid().ToString()))).ProblemAsync(409);
        Assert.Equal("InsufficientPoints", tooPoor.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await me.PostAsync($"/patients/{patient}/redemptions/{rid}/confirm", null)).StatusCode);
        await (await me.PostAsync($"/patients/{patient}/redemptions/{rid}/cancel", null)).ProblemAsync(409);
        await (await me.PostAsync($"/patients/{patient}/redemptions/{Guid.NewGuid()}/cancel", null)).ProblemAsync(404);

        var admin = fixture.App.ClientFor(Caller.Admin);
        var reversal = await (await admin.SendAsync(Post("/admin/reversals", new { awardEntryId = first.GetProperty("entryId").GetInt64(), reason = "test" }, Guid.NewGuid().ToString()))).JsonAsync();
        Assert.Equal((50, 150), (reversal.GetProperty("pointsReversed").GetInt32(), reversal.GetProperty("shortfall").GetInt32()));

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.App.ClientFor(Caller.PatientSelf("demo-patient-12")).GetAsync($"/patients/{patient}/points")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await me.SendAsync(Post("/activities", Activity(patient, "course-completed", 3), Guid.NewGuid().ToString()))).StatusCode);
    }

    [Fact]
    public async Task Fifty_parallel_redemptions_get_exactly_the_affordable_ones_and_no_5xx()
    {
        const string patient = "demo-patient-13";
        var provider = fixture.App.ClientFor(Caller.ProviderGym);
        foreach (var days in new[] { 1, 8, 15, 22 })
            await provider.SendAsync(Post("/activities", Activity(patient, "course-completed", days), Guid.NewGuid().ToString()));
        var me = fixture.App.ClientFor(Caller.PatientSelf(patient));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
            (int)(await me.SendAsync(Post($"/patients/{patient}/redemptions", new { rewardId = "herbal-tea-set" }, Guid.NewGuid().ToString()))).StatusCode));

        Assert.Equal(1, statuses.Count(s => s == 201));
        Assert.Equal(49, statuses.Count(s => s == 409));
        var balance = (await (await me.GetAsync($"/patients/{patient}/points")).JsonAsync()).GetProperty("statement").GetProperty("balance").GetInt32();
        Assert.Equal(50, balance);
    }

    [Fact]
    public async Task A_patient_unknown_a_moment_ago_earns_points_as_soon_as_they_are_enrolled()
    {
        var id = $"late-{Guid.NewGuid():N}"[..24];
        var provider = fixture.App.ClientFor(Caller.ProviderGym);

        var before = await (await provider.SendAsync(Post("/activities", Activity(id, "course-completed", 1), Guid.NewGuid().ToString()))).ProblemAsync(422);
        var enrolled = await fixture.App.ClientFor(Caller.Admin).PostAsJsonAsync("/patients", new
        {
            id, fhir = new { server = "embedded", patientId = $"pat-{id}" },
            ageBand = "65-74", sex = "male", socioEconomicBand = "mid",
        });
        var after = await provider.SendAsync(Post("/activities", Activity(id, "course-completed", 1), Guid.NewGuid().ToString()));

        Assert.Equal("Unknown patient", before.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        Assert.Equal(200, (await after.JsonAsync()).GetProperty("points").GetInt32());
    }

    [Fact]
    public async Task A_session_of_an_unknown_intervention_or_of_one_the_provider_does_not_deliver_is_refused_and_earns_nothing()
    {
        const string patient = "demo-patient-14";
        var provider = fixture.App.ClientFor(Caller.ProviderGym);
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        var before = await BalanceAsync(patient);

        var unknown = await (await provider.SendAsync(Post("/activities",
            Activity(patient, "exercise-session", 1, interventionId: "pa-underwater-rugby"), Guid.NewGuid().ToString()))).ProblemAsync(422);
        var notDelivered = await (await provider.SendAsync(Post("/activities",
            Activity(patient, "exercise-session", 1, interventionId: "sc-quit-app"), Guid.NewGuid().ToString()))).ProblemAsync(422);

        Assert.Equal(("Unknown intervention", "interventionId"), (unknown.GetProperty("title").GetString(), unknown.GetProperty("field").GetString()));
        Assert.Equal("interventionId", notDelivered.GetProperty("field").GetString());
        Assert.Equal("'fitlife-gym' does not deliver 'sc-quit-app'.", notDelivered.GetProperty("detail").GetString());
        Assert.Equal(before, await BalanceAsync(patient));
        var audit = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?patient={patient}&from={from:O}")).JsonAsync();
        var refusals = audit.GetProperty("items").EnumerateArray()
            .Where(e => (e.GetProperty("action").GetString(), e.GetProperty("outcome").GetString()) == ("points.award", "failed:422"))
            .Select(e => e.GetProperty("detail").GetString()!).Order();
        Assert.Equal(["InterventionNotDelivered", "UnknownIntervention"], refusals);
    }

    [Fact]
    public async Task A_session_of_an_intervention_the_provider_delivers_is_awarded_and_kept_for_training()
    {
        const string patient = "demo-patient-16";
        var provider = fixture.App.ClientFor(Caller.ProviderGym);
        var before = await BalanceAsync(patient);

        var result = await (await provider.SendAsync(Post("/activities",
            Activity(patient, "exercise-session", 1, interventionId: "pa-nordic-walking"), Guid.NewGuid().ToString()))).JsonAsync();

        var points = result.GetProperty("points").GetInt32();
        Assert.True(points > 0);
        Assert.Equal(before + points, await BalanceAsync(patient));
        var sessions = await fixture.App.Services.GetRequiredService<PointsLedger>().InterventionSessionsAsync(fixture.App.Clock.GetUtcNow(), CancellationToken.None);
        Assert.Contains(new InterventionSession(patient, "pa-nordic-walking", "fitlife-gym", fixture.App.Clock.GetUtcNow().AddDays(-1)), sessions);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_intervention_a_report_may_name()
    {
        var doc = await (await fixture.App.Anonymous().GetAsync("/openapi/v1.json")).JsonAsync();
        var post = doc.GetProperty("paths").GetProperty("/activities").GetProperty("post");
        var field = doc.GetProperty("components").GetProperty("schemas").GetProperty("ReportActivityRequest").GetProperty("properties").GetProperty("interventionId");

        Assert.Contains("interventionId", post.GetProperty("description").GetString());
        Assert.True(post.GetProperty("responses").TryGetProperty("422", out _));
        Assert.Equal(64, field.GetProperty("maxLength").GetInt32());
    }
}

public sealed class SqlitePointsApiTests(SqliteApp app) : PointsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresPointsApiTests(PostgresApp app) : PointsApiTests(app), IClassFixture<PostgresApp>;
