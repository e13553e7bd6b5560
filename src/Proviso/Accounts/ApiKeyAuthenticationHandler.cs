using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Proviso.Data;

namespace Proviso.Accounts;

/// <summary>Authenticates <c>Authorization: Bearer pvk_…</c> or <c>X-Api-Key: pvk_…</c> as the key's owner, limited to its scopes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ProvisoDbContext db,
    UserManager<ProvisoUser> users,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public static string? ReadKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer " + ApiKey.Prefix, StringComparison.Ordinal))
        {
            return header["Bearer ".Length..].Trim();
        }
        var x = request.Headers[HeaderName].ToString();
        return x.Length > 0 ? x.Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = ReadKey(Request);
        if (secret is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (!secret.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }
        var hash = ApiKey.HashOf(secret);
        var key = await db.ApiKeys.Include(k => k.Owner).FirstOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        var now = time.GetUtcNow();
        if (key?.Owner is null || !key.IsActive(now) || key.Owner.IsDisabled)
        {
            return AuthenticateResult.Fail("Unknown, expired or revoked API key.");
        }
        var roles = await users.GetRolesAsync(key.Owner);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Owner.Id),
            new(ClaimTypes.Name, key.Owner.UserName ?? key.Owner.Id),
            new(Permissions.AuthMethodClaim, Permissions.ApiKeyMethod),
            new("api_key_id", key.Id.ToString()),
            new("api_key_name", key.Name),
        };
        if (key.Owner.Email is { } email)
        {
            claims.Add(new Claim(ClaimTypes.Email, email));
        }
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(key.Scopes.Select(s => new Claim(Permissions.ScopeClaim, s)));
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            // Recorded at most once a minute so busy keys do not turn every read into a write.
            key.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
