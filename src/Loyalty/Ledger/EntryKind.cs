namespace Benefit.Loyalty.Ledger;

/// <summary>What a ledger entry records; the sign of its points follows from the kind.</summary>
public enum EntryKind
{
    /// <summary>Points earned by an activity (positive).</summary>
    Award,
    /// <summary>Points held for a two-phase redemption (negative).</summary>
    Reserve,
    /// <summary>A held reservation was fulfilled; zero points, the hold becomes spent.</summary>
    Confirm,
    /// <summary>A reservation was cancelled; its points come back (positive).</summary>
    Cancel,
    /// <summary>A reservation was not confirmed in time; its points come back (positive).</summary>
    ReservationExpired,
    /// <summary>A one-step redemption: points spent immediately (negative).</summary>
    Redemption,
    /// <summary>Points older than the lifetime left the balance (negative).</summary>
    Expiry,
    /// <summary>An award was taken back by an administrator (negative or zero).</summary>
    Reversal,
    /// <summary>A manual correction (either sign).</summary>
    Adjustment,
}
