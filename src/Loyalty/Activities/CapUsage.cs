namespace Benefit.Loyalty.Activities;

/// <summary>Points already awarded in the periods whose caps bound an activity: its category's local day and ISO week, and its local year.</summary>
internal readonly record struct CapUsage(int Day, int Week, int Year);

/// <summary>
/// Awarded points per cap period, as read from the database (<see cref="Persistence.LedgerStore"/>) and grown as a group
/// awards in queue order, so each report's caps see the awards before it.
/// </summary>
internal sealed class CapTally
{
    private readonly Dictionary<(string Patient, string Category, DateOnly Day), int> _days = [];
    private readonly Dictionary<(string Patient, string Category, DateOnly Week), int> _weeks = [];
    private readonly Dictionary<(string Patient, int Year), int> _years = [];

    public void SetDay(string patient, string category, DateOnly day, int points) => _days[(patient, category, day)] = points;

    public void SetWeek(string patient, string category, DateOnly weekStart, int points) => _weeks[(patient, category, weekStart)] = points;

    public void SetYear(string patient, int year, int points) => _years[(patient, year)] = points;

    /// <summary>What <paramref name="activity"/>'s periods in <paramref name="category"/> hold so far.</summary>
    public CapUsage For(ActivityEvent activity, string category) => new(
        _days.GetValueOrDefault((activity.PatientId, category, activity.LocalDate)),
        _weeks.GetValueOrDefault((activity.PatientId, category, activity.LocalWeekStart)),
        _years.GetValueOrDefault((activity.PatientId, activity.LocalYear)));

    /// <summary>Counts an award of <paramref name="activity"/> in each of its periods.</summary>
    public void Add(ActivityEvent activity, string category, int points)
    {
        var used = For(activity, category);
        SetDay(activity.PatientId, category, activity.LocalDate, used.Day + points);
        SetWeek(activity.PatientId, category, activity.LocalWeekStart, used.Week + points);
        SetYear(activity.PatientId, activity.LocalYear, used.Year + points);
    }
}
