namespace Benefit.Simulator;

/// <summary>
/// Uniform draws keyed by (seed, patient, week, what): the same key gives the same number whatever order concurrent patients
/// run in, so a seed reproduces every patient's behaviour.
/// </summary>
public static class Dice
{
    public static double Uniform(int seed, int patient, int week, int what)
    {
        var x = SplitMix((ulong)(uint)seed);
        x = SplitMix(x ^ (ulong)(uint)patient);
        x = SplitMix(x ^ (ulong)(uint)week);
        x = SplitMix(x ^ (ulong)(uint)what);
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
