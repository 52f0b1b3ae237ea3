namespace Switchboard.Registry.Acl;

public sealed partial class AclService
{
    /// <summary>A token by accessor id, or null (also when it expired). Never its secret.</summary>
    public AclToken? GetToken(string accessorId)
        => _snapshot.TokensById.TryGetValue(accessorId, out var token) && !token.IsExpiredAt(_time.GetUtcNow()) ? token : null;

    /// <summary>Every token that has not expired, by creation. Never their secrets.</summary>
    public IReadOnlyList<AclToken> ListTokens()
    {
        var now = _time.GetUtcNow();
        return [.. _snapshot.State.Tokens.Select(t => t.Token).Where(t => !t.IsExpiredAt(now)).OrderBy(t => t.CreateIndex).ThenBy(t => t.AccessorId, StringComparer.Ordinal)];
    }

    /// <summary>Creates a token with a new accessor id and secret. The returned object holds the secret: show it once, never log it.</summary>
    /// <exception cref="AclValidationException">A policy is unknown, or the expiry is invalid (each error names its field).</exception>
    public async Task<CreatedAclToken> CreateTokenAsync(AclTokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await ChangeAsync((state, version, now) =>
        {
            var links = ResolveLinks(request.Policies ?? [], state, out var errors);
            var expires = ValidateExpiry(request, now, errors);
            ValidateChosenIds(request.AccessorId, request.SecretId, state, errors);
            if (errors.Count > 0)
                throw new AclValidationException(errors);
            var (stored, created) = NewToken(request.Description ?? "", links, expires, now, version, request.AccessorId, request.SecretId);
            return (state with { Tokens = [.. state.Tokens, stored] }, created);
        }, cancellationToken).ConfigureAwait(false);
        Log.TokenCreated(_logger, created.Token.AccessorId);
        return created;
    }

    /// <summary>
    /// Replaces the description and policies of the token <paramref name="accessorId"/> (Consul's token update); its
    /// secret stays. Its expiry cannot change: the request's expiry must be absent or the same. Null when there is none.
    /// </summary>
    /// <exception cref="AclValidationException">A policy is unknown, or the request changes the expiry.</exception>
    public Task<AclToken?> UpdateTokenAsync(string accessorId, AclTokenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessorId);
        ArgumentNullException.ThrowIfNull(request);
        return ChangeAsync<AclToken?>((state, version, now) =>
        {
            if (state.Tokens.FirstOrDefault(t => t.Token.AccessorId == accessorId && !t.Token.IsExpiredAt(now)) is not { } old)
                return (state, null);
            var links = ResolveLinks(request.Policies ?? [], state, out var errors);
            if (request.ExpirationTtl is not null || request.ExpirationTime is { } at && at != old.Token.ExpirationTime)
                errors.Add(new("expiration_time", "expiration_time cannot be changed once the token exists"));
            if (request.AccessorId is not null && request.AccessorId != accessorId || request.SecretId is not null && AclSecrets.Hash(request.SecretId) != old.SecretHash)
                errors.Add(new(request.SecretId is null ? "accessor_id" : "secret_id", "the ids of a token cannot be changed"));
            if (errors.Count > 0)
                throw new AclValidationException(errors);
            var token = old.Token with { Description = request.Description ?? "", Policies = links, ModifyIndex = version };
            return (state with { Tokens = [.. state.Tokens.Select(t => t.Token.AccessorId == accessorId ? t with { Token = token } : t)] }, token);
        }, cancellationToken);
    }

    /// <summary>Deletes a token; false when there was none.</summary>
    public async Task<bool> DeleteTokenAsync(string accessorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessorId);
        var deleted = await ChangeAsync((state, _, _) => state.Tokens.Any(t => t.Token.AccessorId == accessorId)
            ? (state with { Tokens = [.. state.Tokens.Where(t => t.Token.AccessorId != accessorId)] }, true)
            : (state, false), cancellationToken).ConfigureAwait(false);
        if (deleted)
            Log.TokenDeleted(_logger, accessorId);
        return deleted;
    }

    private static (AclStoredToken Stored, CreatedAclToken Created) NewToken(string description, IReadOnlyList<AclPolicyLink> links, DateTimeOffset? expires,
        DateTimeOffset now, long version, string? accessorId = null, string? secretId = null)
    {
        var secret = secretId ?? AclSecrets.NewSecret();
        var token = new AclToken
        {
            AccessorId = accessorId ?? Guid.NewGuid().ToString("D"),
            Description = description,
            Policies = links,
            CreateTime = now,
            ExpirationTime = expires,
            CreateIndex = version,
            ModifyIndex = version,
        };
        return (new AclStoredToken(token, AclSecrets.Hash(secret)), new CreatedAclToken(token, secret));
    }

    /// <summary>Caller-chosen ids must be GUIDs, unused, and not reserved; the messages never repeat the secret.</summary>
    private static void ValidateChosenIds(string? accessorId, string? secretId, AclState state, List<AclValidationError> errors)
    {
        if (accessorId is not null)
        {
            if (!Guid.TryParseExact(accessorId, "D", out _))
                errors.Add(new("accessor_id", "accessor_id must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"));
            else if (accessorId == AclToken.AnonymousAccessorId || state.Tokens.Any(t => string.Equals(t.Token.AccessorId, accessorId, StringComparison.OrdinalIgnoreCase)))
                errors.Add(new("accessor_id", "accessor_id is already in use"));
        }
        if (secretId is not null)
        {
            if (!Guid.TryParseExact(secretId, "D", out _))
                errors.Add(new("secret_id", "secret_id must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"));
            else if (state.Tokens.Any(t => t.SecretHash == AclSecrets.Hash(secretId)))
                errors.Add(new("secret_id", "secret_id is already in use"));
        }
    }

    /// <summary>Each link found by id, else by name, stored with both; duplicates dropped.</summary>
    private static List<AclPolicyLink> ResolveLinks(IReadOnlyList<AclPolicyLink> requested, AclState state, out List<AclValidationError> errors)
    {
        errors = [];
        var links = new List<AclPolicyLink>();
        for (var i = 0; i < requested.Count; i++)
        {
            var field = $"policies[{i}]";
            var link = requested[i];
            var policy = link.Id is { Length: > 0 } id ? state.Policies.FirstOrDefault(p => p.Id == id)
                : link.Name is { Length: > 0 } name ? state.Policies.FirstOrDefault(p => p.Name == name)
                : null;
            if (policy is null)
            {
                errors.Add(new(field, link.Id is { Length: > 0 } || link.Name is { Length: > 0 }
                    ? $"{field} names no policy: no policy with {(link.Id is { Length: > 0 } ? "id " + AclMessages.Quote(link.Id) : "name " + AclMessages.Quote(link.Name!))}"
                    : $"{field} must give the policy's id or name"));
                continue;
            }
            if (!links.Any(l => l.Id == policy.Id))
                links.Add(new AclPolicyLink(policy.Id, policy.Name));
        }
        return links;
    }

    private DateTimeOffset? ValidateExpiry(AclTokenRequest request, DateTimeOffset now, List<AclValidationError> errors)
    {
        var (min, max) = (_options.TokenMinExpirationTtl, _options.TokenMaxExpirationTtl);
        if (request.ExpirationTime is not null && request.ExpirationTtl is not null)
        {
            errors.Add(new("expiration_ttl", "expiration_ttl and expiration_time cannot both be set"));
            return null;
        }
        if (request.ExpirationTtl is { } ttl)
        {
            if (ttl >= min && ttl <= max)
                return now + ttl;
            errors.Add(new("expiration_ttl", $"expiration_ttl must be between {min} and {max}"));
            return null; // not now + ttl: a huge TTL is past the last representable time (found by fuzzing)
        }
        if (request.ExpirationTime is { } at && (at - now < min || at - now > max))
            errors.Add(new("expiration_time", $"expiration_time must be between {min} and {max} from now"));
        return request.ExpirationTime;
    }
}
