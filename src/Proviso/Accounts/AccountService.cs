using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;

namespace Proviso.Accounts;

public sealed record UserSummary(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool IsDisabled, bool MustChangePassword, DateTimeOffset CreatedAt);

public sealed record CreateUserInput(string? Email, string? DisplayName, List<string>? Roles, string? Password);

public sealed record UpdateUserInput(string? DisplayName, List<string>? Roles, bool? Disabled);

/// <summary>A created user; <see cref="OneTimePassword"/> is set only when Proviso generated it, and is shown once.</summary>
public sealed record CreatedUser(UserSummary User, string? OneTimePassword);

public sealed record ApiKeySummary(Guid Id, string Name, string Hint, string OwnerId, string? OwnerEmail, IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

public sealed record CreateApiKeyInput(string? Name, List<string>? Scopes, int? ExpiresInDays);

/// <summary>The secret is returned once, at creation; only its hash is kept.</summary>
public sealed record CreatedApiKey(ApiKeySummary Key, string Secret);

/// <summary>Users, roles and API keys, shared by the API, the UI and start-up.</summary>
public sealed class AccountService(
    UserManager<ProvisoUser> users,
    RoleManager<IdentityRole> roles,
    ProvisoDbContext db,
    TimeProvider time,
    IOptions<ProvisoOptions> options,
    Ledger.AuditTrail audit,
    ILogger<AccountService> logger)
{
    public const int PasswordLength = 12;

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                try
                {
                    await roles.CreateAsync(new IdentityRole(role));
                }
                catch (DbUpdateException)
                {
                    // Another instance sharing the database may have created it first; anything else is real.
                    if (!await roles.RoleExistsAsync(role))
                    {
                        throw;
                    }
                }
            }
        }
    }

    /// <summary>
    /// On first start with no users, creates the administrator. Returns the generated one-time
    /// password, or null when one was configured or users already exist.
    /// </summary>
    public async Task<string?> EnsureAdminAsync()
    {
        await EnsureRolesAsync();
        if (await users.Users.AnyAsync())
        {
            return null;
        }
        var admin = options.Value.Admin;
        var configured = !string.IsNullOrEmpty(admin.Password);
        var password = configured ? admin.Password! : GeneratePassword();
        var outcome = await CreateUserAsync(new CreateUserInput(admin.Email, "Administrator", [Roles.Admin], password), mustChange: !configured);
        if (!outcome.IsOk)
        {
            throw new InvalidOperationException($"Could not create the administrator {admin.Email}: {outcome.Describe()}");
        }
        logger.LogInformation("Created administrator {Email}", admin.Email);
        return configured ? null : password;
    }

    public async Task<IReadOnlyList<UserSummary>> ListUsersAsync(CancellationToken ct = default)
    {
        var list = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name!, ct);
        var userRoles = await db.UserRoles.AsNoTracking().ToListAsync(ct);
        return list.Select(u => Summarize(u, userRoles.Where(r => r.UserId == u.Id).Select(r => roleNames[r.RoleId]).Order().ToList())).ToList();
    }

    public async Task<Outcome<CreatedUser>> CreateUserAsync(CreateUserInput input, bool mustChange = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new ValidationErrors();
        var email = errors.Text("email", input.Email, 256, required: true, label: "E-mail");
        if (email is not null && !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            errors.Add("email", $"'{email}' is not an e-mail address.");
        }
        var displayName = errors.Text("displayName", input.DisplayName, 200, label: "Display name");
        var wanted = ValidateRoles(input.Roles, errors);
        if (errors.Any)
        {
            return Outcome<CreatedUser>.Invalid(errors.ToDictionary());
        }
        if (await users.FindByEmailAsync(email!) is not null)
        {
            return Outcome<CreatedUser>.Conflict($"A user with e-mail {email} already exists.");
        }
        var generated = string.IsNullOrEmpty(input.Password);
        var password = generated ? GeneratePassword() : input.Password!;
        var user = new ProvisoUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            MustChangePassword = generated || mustChange,
            CreatedAt = time.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return Outcome<CreatedUser>.Invalid(IdentityErrors(result, "password"));
        }
        if (wanted.Count > 0)
        {
            await users.AddToRolesAsync(user, wanted);
        }
        await audit.RecordAsync("user.created", "user", user.Id, null, new Dictionary<string, object?> { ["roles"] = wanted.ToArray(), ["generatedPassword"] = generated });
        return Outcome<CreatedUser>.Ok(new CreatedUser(Summarize(user, wanted), generated ? password : null));
    }

    public async Task<Outcome<UserSummary>> UpdateUserAsync(string id, UpdateUserInput input, string actingUserId)
    {
        ArgumentNullException.ThrowIfNull(input);
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return Outcome<UserSummary>.NotFound($"User {id} does not exist.");
        }
        var errors = new ValidationErrors();
        var displayName = errors.Text("displayName", input.DisplayName, 200, label: "Display name");
        var wanted = input.Roles is null ? null : ValidateRoles(input.Roles, errors);
        if (errors.Any)
        {
            return Outcome<UserSummary>.Invalid(errors.ToDictionary());
        }
        var current = await users.GetRolesAsync(user);
        if (id == actingUserId && ((wanted is not null && !wanted.Contains(Roles.Admin)) || input.Disabled == true))
        {
            return Outcome<UserSummary>.Conflict("You cannot remove your own administrator role or disable yourself; ask another administrator.");
        }
        if (input.DisplayName is not null)
        {
            user.DisplayName = displayName;
        }
        if (input.Disabled is { } disabled)
        {
            user.IsDisabled = disabled;
            // A disabled user's cookies stop working at the next security-stamp check.
            await users.UpdateSecurityStampAsync(user);
        }
        await users.UpdateAsync(user);
        if (wanted is not null)
        {
            await users.RemoveFromRolesAsync(user, current.Except(wanted));
            await users.AddToRolesAsync(user, wanted.Except(current));
        }
        await audit.RecordAsync("user.updated", "user", user.Id, null, new Dictionary<string, object?>
        {
            ["roles"] = (wanted ?? [.. current]).ToArray(),
            ["disabled"] = user.IsDisabled,
        });
        return Outcome<UserSummary>.Ok(Summarize(user, wanted ?? [.. current]));
    }

    public async Task<Outcome<bool>> ChangePasswordAsync(ProvisoUser user, string? current, string? next)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(current) || string.IsNullOrEmpty(next))
        {
            return Outcome<bool>.Invalid(new Dictionary<string, string[]> { ["password"] = ["Enter your current password and a new one."] });
        }
        if (current == next)
        {
            return Outcome<bool>.Invalid(new Dictionary<string, string[]> { ["password"] = ["The new password must differ from the current one."] });
        }
        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded)
        {
            return Outcome<bool>.Invalid(IdentityErrors(result, "password"));
        }
        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        return Outcome<bool>.Ok(true);
    }

    public async Task<IReadOnlyList<ApiKeySummary>> ListApiKeysAsync(string? ownerId, CancellationToken ct = default)
    {
        var q = db.ApiKeys.AsNoTracking().Include(k => k.Owner).AsQueryable();
        if (ownerId is not null)
        {
            q = q.Where(k => k.OwnerId == ownerId);
        }
        var keys = await q.ToListAsync(ct);
        return keys.OrderByDescending(k => k.CreatedAt).Select(Summarize).ToList();
    }

    public async Task<Outcome<CreatedApiKey>> CreateApiKeyAsync(string ownerId, CreateApiKeyInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var owner = await users.FindByIdAsync(ownerId);
        if (owner is null)
        {
            return Outcome<CreatedApiKey>.NotFound($"User {ownerId} does not exist.");
        }
        var errors = new ValidationErrors();
        var name = errors.Text("name", input.Name, ApiKey.NameMax, required: true, label: "Name");
        var ownerRoles = await users.GetRolesAsync(owner);
        var scopes = (input.Scopes ?? []).Select(s => s.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0)
        {
            errors.Add("scopes", $"Choose at least one scope: {string.Join(", ", Permissions.AllScopes)}.");
        }
        foreach (var scope in scopes)
        {
            if (!Permissions.RolesFor.TryGetValue(scope, out var allowed))
            {
                errors.Add("scopes", $"Unknown scope '{scope}'. Allowed: {string.Join(", ", Permissions.AllScopes)}.");
            }
            else if (!allowed.Any(ownerRoles.Contains))
            {
                errors.Add("scopes", $"The key's owner has no role that grants '{scope}'.");
            }
        }
        if (input.ExpiresInDays is < 1 or > 3650)
        {
            errors.Add("expiresInDays", "Expiry must be between 1 and 3650 days.");
        }
        if (errors.Any)
        {
            return Outcome<CreatedApiKey>.Invalid(errors.ToDictionary());
        }
        var secret = ApiKey.NewSecret();
        var now = time.GetUtcNow();
        var key = new ApiKey
        {
            Name = name!,
            OwnerId = owner.Id,
            Owner = owner,
            Hint = secret[..(ApiKey.Prefix.Length + 6)],
            Hash = ApiKey.HashOf(secret),
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = input.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("api-key.created", "api-key", key.Id.ToString(), null, new Dictionary<string, object?>
        {
            ["owner"] = owner.Id,
            ["scopes"] = scopes.ToArray(),
            ["expiresAt"] = key.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        return Outcome<CreatedApiKey>.Ok(new CreatedApiKey(Summarize(key), secret));
    }

    public async Task<Outcome<ApiKeySummary>> RevokeApiKeyAsync(Guid id, string actingUserId, bool actingIsAdmin, CancellationToken ct = default)
    {
        var key = await db.ApiKeys.Include(k => k.Owner).FirstOrDefaultAsync(k => k.Id == id, ct);
        // Someone else's key is reported as missing, so key ids cannot be probed.
        if (key is null || (key.OwnerId != actingUserId && !actingIsAdmin))
        {
            return Outcome<ApiKeySummary>.NotFound($"API key {id} does not exist.");
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("api-key.revoked", "api-key", key.Id.ToString(), null, new Dictionary<string, object?> { ["owner"] = key.OwnerId }, ct);
        }
        return Outcome<ApiKeySummary>.Ok(Summarize(key));
    }

    public static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        const string all = lower + upper + digits;
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }
        // Guarantee each class so the generated password always meets the policy.
        chars[RandomNumberGenerator.GetInt32(0, 6)] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[RandomNumberGenerator.GetInt32(7, 13)] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[RandomNumberGenerator.GetInt32(14, 20)] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        return new string(chars);
    }

    private static List<string> ValidateRoles(List<string>? wanted, ValidationErrors errors)
    {
        var result = new List<string>();
        foreach (var role in wanted ?? [])
        {
            var match = Roles.All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                errors.Add("roles", $"Unknown role '{role}'. Allowed: {string.Join(", ", Roles.All)}.");
            }
            else if (!result.Contains(match))
            {
                result.Add(match);
            }
        }
        return result;
    }

    private static Dictionary<string, string[]> IdentityErrors(IdentityResult result, string field) =>
        new() { [field] = result.Errors.Select(e => e.Description).ToArray() };

    private static UserSummary Summarize(ProvisoUser u, IReadOnlyList<string> roles) =>
        new(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName, roles, u.IsDisabled, u.MustChangePassword, u.CreatedAt);

    private static ApiKeySummary Summarize(ApiKey k) =>
        new(k.Id, k.Name, k.Hint, k.OwnerId, k.Owner?.Email, k.Scopes, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);
}
