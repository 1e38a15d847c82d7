namespace Benefit.Api.Extensions;

/// <summary>One page of a longer list; <c>Total</c> counts every item across pages.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);
