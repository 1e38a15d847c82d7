using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Benefit.Api.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>One document with the bearer scheme and the error responses every operation can give.</summary>
    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Benefit API",
                    Version = "v1",
                    Description = "Ranked, explained lifestyle interventions for people with heart and vascular disease, loyalty points for healthy effort, and the model registry behind them.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "A JWT with a role claim (patient, clinician, data-scientist, provider, admin). Locally: dotnet user-jwts create --project src/Api --role …",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Responses ??= new OpenApiResponses();
                AddProblem(operation, "400", "Invalid input: the problem names the field and the reason");
                if (metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] }];
                    AddProblem(operation, "401", "No or invalid bearer token");
                    AddProblem(operation, "403", "The caller's role or relation to the patient does not allow this");
                }
                if (metadata.OfType<EnableRateLimitingAttribute>().Any())
                    AddProblem(operation, "429", "Too many requests; see Retry-After");
                return Task.CompletedTask;
            });
        });

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
        };
    }
}
