namespace ProxyOperator.Runtime;

internal static class ExponentialBackoff
{
    /// <summary><paramref name="initial"/> doubled <paramref name="exponent"/> times, capped at <paramref name="max"/>.</summary>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int exponent)
    {
        // Beyond 2^62 the product overflows; the cap is reached long before on any sane bounds.
        var factor = Math.Pow(2, Math.Clamp(exponent, 0, 62));
        var ticks = initial.Ticks * factor;
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
