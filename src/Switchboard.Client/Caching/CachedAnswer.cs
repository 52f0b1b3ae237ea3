namespace Switchboard.Client.Caching;

/// <summary>A cached answer and when it was stored.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
/// <param name="Value">The answer.</param>
/// <param name="StoredAt">When it was stored.</param>
public sealed record CachedAnswer<T>(T Value, DateTimeOffset StoredAt);
