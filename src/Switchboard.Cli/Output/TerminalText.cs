using System.Globalization;
using System.Text;

namespace Switchboard.Cli.Output;

/// <summary>Makes text from the registry safe to print on a terminal: control characters (escape sequences among them) and bidirectional overrides are shown as escapes, never sent raw.</summary>
/// <remarks>A heartbeat's output, a tag or an error body comes from whoever reached the registry; printed raw, <c>ESC[...</c> could rewrite the operator's screen or title.</remarks>
internal static class TerminalText
{
    /// <summary><paramref name="text"/> with every control character written as <c>\xHH</c> or <c>\uHHHH</c>.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        var clean = true;
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                clean = false;
                break;
            }
        }
        if (clean)
            return text;
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsUnsafe(c))
                builder.Append(c);
            else if (c < 0x100)
                builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>C0 and C1 controls, DEL, and the Unicode bidirectional embedding, override and isolate characters (which reorder what follows them).</summary>
    private static bool IsUnsafe(char c)
        => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';
}
