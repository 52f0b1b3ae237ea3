namespace Switchboard.Samples.Irrigation.Contracts;

/// <summary>A water-level gauge reading (Sensor Data <c>water-levels</c>).</summary>
/// <param name="SensorId">The gauge.</param>
/// <param name="ChannelId">The reach it measures.</param>
/// <param name="LevelM">Water depth above the gate sills of the reach, m.</param>
/// <param name="MeasuredAt">When.</param>
public sealed record WaterLevelReading(string SensorId, string ChannelId, double LevelM, DateTimeOffset MeasuredAt);

/// <summary>A flow meter reading (Sensor Data <c>flow-rates</c>).</summary>
/// <param name="SensorId">The meter.</param>
/// <param name="ChannelId">The reach it measures.</param>
/// <param name="FlowM3s">Flow, m³/s.</param>
/// <param name="MeasuredAt">When.</param>
public sealed record FlowReading(string SensorId, string ChannelId, double FlowM3s, DateTimeOffset MeasuredAt);

/// <summary>A gate's condition sensors (Sensor Data <c>gates</c>).</summary>
/// <param name="GateId">The gate.</param>
/// <param name="VibrationMmS">Vibration velocity, mm/s.</param>
/// <param name="MotorTemperatureC">Actuator motor temperature, °C.</param>
/// <param name="MeasuredAt">When.</param>
public sealed record GateSensorReading(string GateId, double VibrationMmS, double MotorTemperatureC, DateTimeOffset MeasuredAt);

/// <summary>An anomaly the sensor platform detected (Sensor Data <c>anomalies</c>).</summary>
/// <param name="SensorId">The sensor.</param>
/// <param name="Kind">What kind.</param>
/// <param name="Severity"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="Description">Readable description.</param>
/// <param name="DetectedAt">When.</param>
public sealed record SensorAnomaly(string SensorId, string Kind, string Severity, string Description, DateTimeOffset DetectedAt);
