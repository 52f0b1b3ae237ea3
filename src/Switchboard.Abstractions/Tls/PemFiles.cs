using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Tls;

/// <summary>Loads certificates and keys from PEM files; every failure is a <see cref="PemFileException"/> saying which file and why.</summary>
public static class PemFiles
{
    /// <summary>Every certificate in a PEM file (a CA bundle, or a certificate followed by its intermediates).</summary>
    /// <param name="path">The file.</param>
    /// <param name="role">What the file is for, carried by the exception.</param>
    /// <returns>The certificates, in file order; at least one.</returns>
    /// <exception cref="PemFileException">The file is missing, unreadable or holds no PEM certificate.</exception>
    public static X509Certificate2Collection LoadCertificates(string path, PemFileRole role = PemFileRole.CertificateAuthority)
        => ParseCertificates(ReadText(path, role), path, role);

    /// <summary>A certificate and its private key from two PEM files (they may be the same file).</summary>
    /// <param name="certificatePath">The certificate, optionally followed by its intermediates.</param>
    /// <param name="keyPath">The unencrypted private key (PKCS#8, PKCS#1 or SEC1).</param>
    /// <returns>The identity: the first certificate with the key, the others as intermediates.</returns>
    /// <exception cref="PemFileException">Either file cannot be used, or the key is not the certificate's.</exception>
    public static TlsIdentity LoadIdentity(string certificatePath, string keyPath)
    {
        var certificateText = ReadText(certificatePath, PemFileRole.Certificate);
        var all = ParseCertificates(certificateText, certificatePath, PemFileRole.Certificate);
        var keyText = ReadText(keyPath, PemFileRole.PrivateKey);
        switch (KeyLabel(keyText))
        {
            case null:
                Dispose(all);
                throw new PemFileException(PemFileRole.PrivateKey, keyPath, "it holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
            case "ENCRYPTED PRIVATE KEY":
                Dispose(all);
                throw new PemFileException(PemFileRole.PrivateKey, keyPath, "the key is encrypted; an unencrypted PEM key is needed");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificateText, keyText);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // A key of another certificate is an ArgumentException, one of another algorithm a CryptographicException.
            Dispose(all);
            throw new PemFileException(PemFileRole.PrivateKey, keyPath, IsReadableKey(keyText)
                ? $"the key does not match the certificate in '{certificatePath}'"
                : "it holds a damaged or unsupported private key (RSA and ECDSA keys are supported)");
        }
        all[0].Dispose();
        all.RemoveAt(0);
        return new TlsIdentity(certificate, all);
    }

    private static string ReadText(string path, PemFileRole role)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new PemFileException(role, path, "the path is empty");
        if (Directory.Exists(path))
            throw new PemFileException(role, path, "it is a directory, not a file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PemFileException(role, path, "the file does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            throw new PemFileException(role, path, "the file cannot be read (permission denied)");
        }
        catch (IOException ex)
        {
            throw new PemFileException(role, path, "the file cannot be read: " + ex.Message);
        }
    }

    private static X509Certificate2Collection ParseCertificates(string text, string path, PemFileRole role)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException)
        {
            Dispose(certificates);
            throw new PemFileException(role, path, "it holds a damaged PEM certificate");
        }
        if (certificates.Count == 0)
        {
            throw new PemFileException(role, path, text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? "it holds a damaged PEM certificate"
                : "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /// <summary>The label of the first PEM private key in the text (<c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c>, ...), or null.</summary>
    private static string? KeyLabel(string text)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
                return label.ToString();
            rest = rest[fields.Location.End..];
        }
        return null;
    }

    private static bool IsReadableKey(string keyText)
    {
        foreach (var algorithm in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            using var key = algorithm();
            try
            {
                key.ImportFromPem(keyText);
                return true;
            }
            catch (CryptographicException)
            {
                // not this algorithm
            }
            catch (ArgumentException)
            {
                // no key this algorithm reads
            }
        }
        return false;
    }

    private static void Dispose(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
            certificate.Dispose();
    }
}
