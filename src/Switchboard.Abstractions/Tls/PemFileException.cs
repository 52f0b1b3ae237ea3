namespace Switchboard.Tls;

/// <summary>What a PEM file was meant to hold; the caller turns it into the name of its setting.</summary>
public enum PemFileRole
{
    /// <summary>The certificate authorities to trust.</summary>
    CertificateAuthority,

    /// <summary>A certificate (with its intermediates) to present.</summary>
    Certificate,

    /// <summary>The private key of that certificate.</summary>
    PrivateKey,
}

/// <summary>A certificate, key or CA file that cannot be used, with a message fit for one line: <c>cannot use 'path': why</c>.</summary>
public sealed class PemFileException : Exception
{
    /// <summary>Creates the failure.</summary>
    /// <param name="role">What the file was meant to hold.</param>
    /// <param name="path">The file, as it was given.</param>
    /// <param name="problem">Why it cannot be used, without the path (for example <c>the file does not exist</c>).</param>
    public PemFileException(PemFileRole role, string path, string problem)
        : base($"cannot use '{path}': {problem}")
    {
        Role = role;
        Path = path;
        Problem = problem;
    }

    /// <summary>What the file was meant to hold.</summary>
    public PemFileRole Role { get; }

    /// <summary>The file, as it was given.</summary>
    public string Path { get; }

    /// <summary>Why it cannot be used, without the path.</summary>
    public string Problem { get; }
}
