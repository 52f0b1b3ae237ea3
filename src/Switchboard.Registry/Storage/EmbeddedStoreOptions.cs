using System.ComponentModel.DataAnnotations;

namespace Switchboard.Registry.Storage;

/// <summary>Settings of the embedded store, bound from <c>Switchboard:Store:Embedded</c>.</summary>
public sealed class EmbeddedStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Store:Embedded";

    /// <summary>The folder holding the snapshot and the journal.</summary>
    /// <value>The default value is <c>~/.local/share/switchboard</c> (the platform's local application data folder).</value>
    [Required]
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Whether each group of writes is fsynced before it is acknowledged (survives power loss, not only a process kill).</summary>
    /// <value>The default value is true.</value>
    public bool Fsync { get; set; } = true;

    /// <summary>Journal records after which the journal is folded into a fresh snapshot.</summary>
    /// <value>The default value is 100,000.</value>
    [Range(100, 100_000_000)]
    public int CompactAfterRecords { get; set; } = 100_000;

    /// <summary>
    /// Whether to start despite damaged files: a corrupt record in the middle of the journal or a corrupt snapshot is
    /// dropped (logged with its file and offset), what is valid is loaded and rewritten as a fresh snapshot, and the
    /// damaged files are kept beside it as <c>*.damaged</c>. Off: the store refuses to start and names the damage.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool Recover { get; set; }

    /// <summary>The default data folder.</summary>
    public static string DefaultDataDirectory
        => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "switchboard");
}
