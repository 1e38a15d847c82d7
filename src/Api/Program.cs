using Benefit.Api.Audit;
using Benefit.Api.Catalog;
using Benefit.Api.CdsHooks;
using Benefit.Api.Clinician;
using Benefit.Api.Consent;
using Benefit.Api.Extensions;
using Benefit.Api.Health;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Benefit.Api.Observations;
using Benefit.Api.Patients;
using Benefit.Api.Points;
using Benefit.Api.Recommendations;
using Benefit.Api.Reviews;
using Benefit.Api.Security;

var builder = WebApplication.CreateBuilder(LaunchEnvironment.Options(args));
if (builder.RefusesToStart()) return 1; // Production without a token authority, with demo data or the demo FHIR source
builder.AddApplicationServices();

var app = builder.Build();
app.UseApplicationPipeline();
await app.PrepareDatabaseAsync();

app.MapApiDocs();
app.MapBenefitHealthChecks();
app.MapBenefitJobs();

app.MapCatalogApi();
app.MapPatientsApi();
app.MapConsentApi();
app.MapObservationsApi();
app.MapRecommendationsApi();
app.MapReviewsApi();
app.MapCaseloadApi();
app.MapCdsHooksApi();
app.MapClinicianPage();
app.MapModelsApi();
app.MapAuditApi();
app.MapPointsApi();

app.Run();
return 0;
