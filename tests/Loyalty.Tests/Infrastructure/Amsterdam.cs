namespace Benefit.Loyalty.Tests.Infrastructure;

/// <summary>Builds instants from Europe/Amsterdam wall-clock times, the way a patient would describe them.</summary>
public static class Amsterdam
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }
}
