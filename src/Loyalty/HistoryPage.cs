namespace Benefit.Loyalty;

public sealed record HistoryPage(IReadOnlyList<EntryView> Items, int Page, int PageSize, int Total);
