using System.Globalization;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Limits;

/// <summary>Checks <see cref="LimitsOptions.Writes"/> (data annotations do not reach a nested section), naming each key that is wrong.</summary>
internal sealed class WriteLimitOptionsValidator : IValidateOptions<LimitsOptions>
{
    public const int MaxPermitsPerSecond = 1_000_000;
    public const int MaxBurst = 10_000_000;

    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var writes = options.Writes;
        if (writes is null)
            return ValidateOptionsResult.Fail($"{ServerLimits.Key(WriteLimitOptions.SectionName)} is missing.");
        var failures = new List<string>();
        if (writes.PermitsPerSecond is < 0 or > MaxPermitsPerSecond)
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Key(nameof(WriteLimitOptions.PermitsPerSecond))} must be between 0 (no limit) and {MaxPermitsPerSecond} (got {writes.PermitsPerSecond})."));
        if (writes.Burst is < 1 or > MaxBurst)
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Key(nameof(WriteLimitOptions.Burst))} must be between 1 and {MaxBurst} (got {writes.Burst})."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The configuration key of a write-limit setting, e.g. <c>Switchboard:Limits:Writes:Burst</c>.</summary>
    public static string Key(string setting) => ServerLimits.Key($"{WriteLimitOptions.SectionName}:{setting}");
}
