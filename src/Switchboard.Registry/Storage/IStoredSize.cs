namespace Switchboard.Registry.Storage;

/// <summary>A store that can tell, before loading, how much stored data a load will read.</summary>
internal interface IStoredSize
{
    /// <summary>The bytes a load would read now; 0 when there is nothing (or it cannot be told).</summary>
    long StoredBytes();
}
