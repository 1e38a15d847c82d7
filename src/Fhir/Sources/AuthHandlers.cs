using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Benefit.Fhir.Sources;

/// <summary>Adds the configured static bearer token to every FHIR request.</summary>
public sealed class StaticBearerHandler(IOptions<FhirSourceOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.BearerToken);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Adds a SMART Backend Services access token; on 401 it drops the cached token and tries once with a fresh one.</summary>
public sealed class SmartBackendHandler(SmartTokenClient tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized || request.Content is not null)
            return response;
        response.Dispose();
        tokens.Invalidate();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
