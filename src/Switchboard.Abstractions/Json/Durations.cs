using System.Globalization;
using System.Text;

namespace Switchboard.Json;

/// <summary>Parses and formats durations the way Consul and Go do (<c>"10s"</c>, <c>"1m30s"</c>, <c>"250ms"</c>).</summary>
public static class Durations
{
    /// <summary>Parses a Go-style duration (<c>ns us ms s m h</c> units, fractions allowed), a bare number of seconds, or <c>hh:mm:ss</c>.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
            return false;
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return TryFromSeconds(seconds, out value);
        if (s.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);

        var negative = s[0] == '-';
        var i = negative || s[0] == '+' ? 1 : 0;
        if (i >= s.Length)
            return false;
        double totalTicks = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                i++;
            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                return false;
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]) || i < s.Length && s[i] == 'µ')
                i++;
            double ticksPerUnit = s[unitStart..i] switch
            {
                "ns" => 0.01,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1,
            };
            if (ticksPerUnit < 0)
                return false;
            totalTicks += number * ticksPerUnit;
        }
        if (totalTicks > TimeSpan.MaxValue.Ticks)
            return false;
        value = TimeSpan.FromTicks((long)(negative ? -totalTicks : totalTicks));
        return true;
    }

    /// <summary>Converts a number of seconds, rejecting NaN, infinities and overflow.</summary>
    public static bool TryFromSeconds(double seconds, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2)
            return false;
        value = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Formats as Go does: <c>1h2m3s</c>, <c>1.5s</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
            return "0s";
        var sb = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            sb.Append('-');
            value = value.Duration();
        }
        if (value < TimeSpan.FromSeconds(1))
            return sb.Append((value.Ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.###", CultureInfo.InvariantCulture)).Append("ms").ToString();
        var hours = (long)value.TotalHours;
        if (hours > 0)
            sb.Append(hours).Append('h');
        if (hours > 0 || value.Minutes > 0)
            sb.Append(value.Minutes).Append('m');
        var secs = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        sb.Append(secs.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
