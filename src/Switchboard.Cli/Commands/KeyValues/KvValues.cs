using System.Text;

namespace Switchboard.Cli.Commands.KeyValues;

/// <summary>How the key/value commands show a value to a person and read one from the command line.</summary>
internal static class KvValues
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    /// <summary>The value as text (escaped later by the renderer), or <c>&lt;N bytes, not UTF-8&gt;</c>.</summary>
    public static string Show(byte[] value, int? max = null)
    {
        string text;
        try
        {
            text = Strict.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return $"<{value.Length} bytes, not UTF-8>";
        }
        return max is { } m && text.Length > m ? text[..m] + "..." : text;
    }
}
