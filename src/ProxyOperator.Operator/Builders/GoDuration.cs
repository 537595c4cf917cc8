using System.Globalization;

namespace ProxyOperator.Operator.Builders;

/// <summary>
/// Reads the Go durations of the resource (<c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>1.5h</c>), the syntax of
/// https://pkg.go.dev/time#ParseDuration that <see cref="Api.Patterns.Duration"/> admits. The proxy's options are
/// .NET TimeSpans, so the operator converts rather than teach the proxy a second syntax.
/// </summary>
internal static class GoDuration
{
    /// <exception cref="FormatException">not a duration the schema admits (the schema should have refused it).</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var total = 0m;
        var i = 0;
        if (text.Length == 0)
        {
            throw new FormatException("an empty duration");
        }

        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException($"\"{text}\" is not a Go duration");
            }

            // "ms" before "m": the longest unit that matches.
            var (unit, seconds) = text.AsSpan(i) switch
            {
                var rest when rest.StartsWith("ms", StringComparison.Ordinal) => ("ms", 0.001m),
                var rest when rest.StartsWith("h", StringComparison.Ordinal) => ("h", 3600m),
                var rest when rest.StartsWith("m", StringComparison.Ordinal) => ("m", 60m),
                var rest when rest.StartsWith("s", StringComparison.Ordinal) => ("s", 1m),
                _ => throw new FormatException($"\"{text}\" is not a Go duration: a unit (ms, s, m, h) must follow {number}"),
            };
            i += unit.Length;
            total += number * seconds;
        }

        // Ticks are 100 ns, finer than any unit the schema admits.
        return TimeSpan.FromTicks((long)decimal.Round(total * TimeSpan.TicksPerSecond));
    }

    /// <summary>The constant ("c") TimeSpan format, <c>[d.]hh:mm:ss[.fffffff]</c>, which the proxy's configuration binder reads.</summary>
    public static string ToTimeSpanText(string goDuration) => Parse(goDuration).ToString("c", CultureInfo.InvariantCulture);
}
