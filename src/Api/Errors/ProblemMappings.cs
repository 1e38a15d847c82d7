using Microsoft.AspNetCore.Mvc;

namespace Benefit.Api.Errors;

/// <summary>One table from domain exceptions (LedgerException, FhirSyncException, …) to Problem Details.</summary>
public sealed class ProblemMappings
{
    private readonly List<Func<Exception, ProblemDetails?>> _maps = [];

    public ProblemMappings Map<TException>(Func<TException, ProblemDetails> map) where TException : Exception
    {
        _maps.Add(e => e is TException t ? map(t) : null);
        return this;
    }

    public ProblemDetails? TryMap(Exception exception)
    {
        foreach (var map in _maps)
            if (map(exception) is { } problem)
                return problem;
        return null;
    }
}
