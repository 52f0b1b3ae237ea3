namespace Switchboard.Registration;

/// <summary>Rules for service names and instance ids.</summary>
public static class ServiceNames
{
    /// <summary>Returns null when <paramref name="name"/> is a valid service name, else the reason.</summary>
    /// <remarks>Lowercase DNS labels separated by dots: letters, digits and hyphens, starting and ending with a letter or digit.</remarks>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "is required";
        if (name.Length > RegistrationLimits.MaxServiceNameLength)
            return $"must be at most {RegistrationLimits.MaxServiceNameLength} characters";
        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0)
                return "must not have empty labels (two dots, or a dot at either end)";
            if (label.Length > RegistrationLimits.MaxLabelLength)
                return $"must have labels of at most {RegistrationLimits.MaxLabelLength} characters";
            if (label[0] == '-' || label[^1] == '-')
                return "labels must start and end with a letter or digit";
            foreach (var c in label)
            {
                if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
                    return "must contain only lowercase letters, digits, hyphens and dots";
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="name"/> is a valid service name.</summary>
    public static bool IsValid(string? name) => Validate(name) is null;

    /// <summary>Returns null when <paramref name="id"/> is a valid instance id, else the reason.</summary>
    public static string? ValidateInstanceId(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return "is required";
        if (id.Length > RegistrationLimits.MaxInstanceIdLength)
            return $"must be at most {RegistrationLimits.MaxInstanceIdLength} characters";
        if (IsDotSegment(id))
            return "must not be '.' or '..' (a URL cannot carry them back)";
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                return "must contain only letters, digits and - _ . :";
        }
        return null;
    }

    /// <summary>Whether <paramref name="id"/> is a URL dot-segment, which clients and proxies normalise away, so a route could never name it.</summary>
    public static bool IsDotSegment(string id) => id is "." or "..";

    /// <summary>The default instance id: <c>service-host-port</c> with characters outside the id alphabet replaced.</summary>
    public static string DefaultInstanceId(string serviceName, string host, int port)
    {
        var raw = $"{serviceName}-{host}-{port}";
        var chars = raw.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '-' or '_' or '.'))
                chars[i] = '_';
        }
        var id = new string(chars);
        return id.Length <= RegistrationLimits.MaxInstanceIdLength ? id : id[..RegistrationLimits.MaxInstanceIdLength];
    }
}
