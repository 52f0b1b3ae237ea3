namespace Switchboard.Client.Discovery;

/// <summary>
/// Seed 000's fallback convention: a service's base URL in the environment variable <c>{NAME}_SERVICE_URL</c>, read
/// after <c>Switchboard:Static</c>. NAME is the service name upper-cased with <c>-</c> as <c>_</c> and without a
/// trailing <c>-service</c>: <c>gis</c> and <c>gis-service</c> read <c>GIS_SERVICE_URL</c>, <c>sensor-data</c> reads
/// <c>SENSOR_DATA_SERVICE_URL</c>.
/// </summary>
internal static class ServiceUrlVariables
{
    private const string Suffix = "-service";

    /// <summary>The variable that may hold <paramref name="serviceName"/>'s URLs.</summary>
    public static string NameOf(string serviceName)
    {
        var name = serviceName.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) && serviceName.Length > Suffix.Length
            ? serviceName[..^Suffix.Length]
            : serviceName;
        return name.ToUpperInvariant().Replace('-', '_') + "_SERVICE_URL";
    }
}
