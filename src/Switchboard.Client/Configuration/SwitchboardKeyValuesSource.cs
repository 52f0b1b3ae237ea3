using Microsoft.Extensions.Configuration;

namespace Switchboard.Client.Configuration;

/// <summary>The configuration source <c>AddSwitchboardKeyValues</c> adds.</summary>
internal sealed class SwitchboardKeyValuesSource(string prefix, Action<SwitchboardKeyValuesOptions>? configure) : IConfigurationSource
{
    public string Prefix { get; } = prefix;

    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        // A configuration manager is the configuration built so far; a plain builder's earlier sources are built once
        // to read the Switchboard settings (other key/value sources left out: they would start their own reads).
        if (builder is IConfiguration built)
            return new SwitchboardKeyValuesProvider(Prefix, KeyValuesSettings.Resolve(built, Prefix, configure));
        var earlier = new ConfigurationBuilder();
        foreach (var source in builder.Sources.TakeWhile(s => !ReferenceEquals(s, this)).Where(s => s is not SwitchboardKeyValuesSource))
            earlier.Add(source);
        var root = earlier.Build();
        try
        {
            return new SwitchboardKeyValuesProvider(Prefix, KeyValuesSettings.Resolve(root, Prefix, configure));
        }
        finally
        {
            (root as IDisposable)?.Dispose();
        }
    }
}
