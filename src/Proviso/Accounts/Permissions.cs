using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Proviso.Accounts;

/// <summary>
/// What a caller may do. Each permission is a policy: a user needs one of its roles, and a caller
/// signed in with an API key additionally needs the permission among the key's scopes.
/// </summary>
public static class Permissions
{
    public const string VendorsRead = "vendors:read";
    public const string VendorsWrite = "vendors:write";
    public const string UsersManage = "users:manage";
    public const string ApiKeysManage = "api-keys:manage";
    public const string AuditRead = "audit:read";
    public const string GatewayManage = "gateway:manage";

    public const string ScopeClaim = "scope";
    public const string AuthMethodClaim = "amr";
    public const string ApiKeyMethod = "api-key";

    public static IReadOnlyDictionary<string, string[]> RolesFor { get; } = new Dictionary<string, string[]>
    {
        [VendorsRead] = [.. Roles.All],
        [VendorsWrite] = [Roles.Admin, Roles.Procurement, Roles.Security, Roles.Privacy, Roles.Legal],
        [UsersManage] = [Roles.Admin],
        // Every role but the read-only auditor may hold machine keys for its own work.
        [ApiKeysManage] = [Roles.Admin, Roles.Procurement, Roles.Security, Roles.Privacy, Roles.Legal],
        // The ledger is evidence for everyone who governs vendors, auditors first.
        [AuditRead] = [.. Roles.All],
        [GatewayManage] = [Roles.Admin, Roles.Security],
    };

    public static IReadOnlyList<string> AllScopes => [.. RolesFor.Keys];

    public static void AddProvisoPolicies(this AuthorizationBuilder builder)
    {
        foreach (var (permission, roles) in RolesFor)
        {
            builder.AddPolicy(permission, p => p
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(permission, roles)));
        }
    }

    public static bool Has(ClaimsPrincipal user, string permission)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true
            && RolesFor[permission].Any(user.IsInRole)
            && (!IsApiKey(user) || user.HasClaim(ScopeClaim, permission));
    }

    public static bool IsApiKey(ClaimsPrincipal user) => user.HasClaim(AuthMethodClaim, ApiKeyMethod);
}

public sealed record PermissionRequirement(string Permission, IReadOnlyList<string> Roles) : IAuthorizationRequirement;

public sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (Permissions.Has(context.User, requirement.Permission))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
