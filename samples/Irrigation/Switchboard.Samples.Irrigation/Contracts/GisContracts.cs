namespace Switchboard.Samples.Irrigation.Contracts;

/// <summary>The hydraulic network the optimizer works on (GIS <c>network/topology</c>; cacheable for an hour).</summary>
/// <param name="Version">Changes when the network changes.</param>
/// <param name="Zones">The irrigation zones.</param>
/// <param name="Channels">The channel reaches, upstream first.</param>
/// <param name="Gates">The automated gates.</param>
public sealed record NetworkTopology(string Version, IReadOnlyList<ZoneInfo> Zones, IReadOnlyList<ChannelReach> Channels, IReadOnlyList<GateInfo> Gates);

/// <summary>An irrigation zone.</summary>
/// <param name="ZoneId">The id (<c>zone-1</c> ... <c>zone-6</c>).</param>
/// <param name="Name">The local name.</param>
/// <param name="AreaHa">Irrigated area, hectares.</param>
/// <param name="Crop">The main crop.</param>
/// <param name="ConveyanceEfficiency">Share of the water released at the zone's turnouts that reaches the fields.</param>
public sealed record ZoneInfo(string ZoneId, string Name, double AreaHa, string Crop, double ConveyanceEfficiency);

/// <summary>A reach of channel between two control structures.</summary>
/// <param name="ChannelId">The id.</param>
/// <param name="Name">The name.</param>
/// <param name="CapacityM3s">Design capacity, m³/s.</param>
/// <param name="DesignLevelM">Design water depth above the sills of the gates it feeds, m.</param>
/// <param name="LengthKm">Length, km.</param>
/// <param name="UpstreamElevationM">Bed elevation upstream, m above sea level.</param>
/// <param name="DownstreamElevationM">Bed elevation downstream, m above sea level.</param>
public sealed record ChannelReach(string ChannelId, string Name, double CapacityM3s, double DesignLevelM, double LengthKm, double UpstreamElevationM, double DownstreamElevationM);

/// <summary>An automated sluice gate.</summary>
/// <param name="GateId">The id (<c>G-01</c> ... <c>G-20</c>).</param>
/// <param name="Kind"><c>head</c> (reservoir outlet), <c>cross</c> (regulator between reaches) or <c>turnout</c> (into a zone's lateral).</param>
/// <param name="ChannelId">The reach upstream of the gate, whose water level is the gate's head.</param>
/// <param name="FeedsChannelId">The reach the gate releases into.</param>
/// <param name="ZoneId">The zone a turnout serves; null for regulators.</param>
/// <param name="WidthM">Gate width, m.</param>
/// <param name="MaxOpeningM">Opening height at 100 %, m.</param>
/// <param name="DischargeCoefficient">Cd of the sluice-gate equation Q = Cd·b·a·√(2gh).</param>
public sealed record GateInfo(string GateId, string Kind, string ChannelId, string FeedsChannelId, string? ZoneId, double WidthM, double MaxOpeningM, double DischargeCoefficient);

/// <summary>A channel's geometry (GIS <c>channels</c>).</summary>
/// <param name="ChannelId">The id.</param>
/// <param name="Name">The name.</param>
/// <param name="Coordinates">The centre line as [longitude, latitude] pairs.</param>
/// <param name="ConnectsTo">The reaches downstream.</param>
public sealed record ChannelGeometry(string ChannelId, string Name, IReadOnlyList<double[]> Coordinates, IReadOnlyList<string> ConnectsTo);

/// <summary>A zone's boundary (GIS <c>zones</c>).</summary>
/// <param name="ZoneId">The id.</param>
/// <param name="Name">The name.</param>
/// <param name="AreaHa">The area, ha.</param>
/// <param name="Polygon">The boundary as a closed ring of [longitude, latitude] pairs.</param>
public sealed record ZoneBoundary(string ZoneId, string Name, double AreaHa, IReadOnlyList<double[]> Polygon);

/// <summary>Ground elevation at a point (GIS <c>elevation</c>).</summary>
/// <param name="Latitude">Latitude.</param>
/// <param name="Longitude">Longitude.</param>
/// <param name="ElevationM">Elevation, m above sea level.</param>
public sealed record ElevationPoint(double Latitude, double Longitude, double ElevationM);

/// <summary>The water path between two reaches (GIS <c>routing</c>).</summary>
/// <param name="From">The start reach.</param>
/// <param name="To">The end reach.</param>
/// <param name="Channels">The reaches passed, in flow order.</param>
/// <param name="Gates">The gates passed.</param>
/// <param name="LengthKm">Total length, km.</param>
/// <param name="DropM">Bed elevation lost, m: the gravity head available.</param>
public sealed record WaterRoute(string From, string To, IReadOnlyList<string> Channels, IReadOnlyList<string> Gates, double LengthKm, double DropM);
