namespace Switchboard.Client;

/// <summary>Parses the values of <c>Switchboard:Static</c>.</summary>
internal static class StaticUrls
{
    private static readonly char[] Separators = [',', ';', ' '];

    /// <summary>Splits a value into its URLs (separated by commas, semicolons or spaces).</summary>
    public static string[] Split(string? value) =>
        value is null ? [] : value.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
