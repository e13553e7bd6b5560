using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Proviso.Hosting;

namespace Proviso.Accounts;

public static class AccountEndpoints
{
    /// <summary>Sign-in, sign-out and password change: plain form posts, so they work without JavaScript.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();

        account.MapPost("/login", async ([FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
            SignInManager<ProvisoUser> signIn, UserManager<ProvisoUser> users) =>
        {
            var back = SafeReturnUrl(returnUrl);
            var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
            if (user is null || user.IsDisabled || string.IsNullOrEmpty(password))
            {
                return Results.Redirect($"/account/login?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
            }
            var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                return Results.Redirect($"/account/login?error=locked&returnUrl={Uri.EscapeDataString(back)}");
            }
            if (!result.Succeeded)
            {
                return Results.Redirect($"/account/login?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
            }
            return Results.Redirect(user.MustChangePassword ? "/account/change-password" : back);
        }).AllowAnonymous();

        account.MapPost("/logout", async (SignInManager<ProvisoUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        });

        account.MapPost("/change-password", async ([FromForm] string? current, [FromForm] string? next, [FromForm] string? confirm,
            ClaimsPrincipal principal, UserManager<ProvisoUser> users, SignInManager<ProvisoUser> signIn, AccountService accounts) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null)
            {
                return Results.Redirect("/account/login");
            }
            if (next != confirm)
            {
                return Results.Redirect("/account/change-password?error=" + Uri.EscapeDataString("The new passwords do not match."));
            }
            var outcome = await accounts.ChangePasswordAsync(user, current, next);
            if (!outcome.IsOk)
            {
                return Results.Redirect("/account/change-password?error=" + Uri.EscapeDataString(outcome.Describe()));
            }
            await signIn.RefreshSignInAsync(user);
            return Results.Redirect("/?passwordChanged=1");
        });

        account.MapGet("/external-login", (HttpContext ctx, IOptions<ProvisoOptions> options, SignInManager<ProvisoUser> signIn, string? returnUrl) =>
        {
            if (!options.Value.Oidc.Enabled)
            {
                return Results.Problem(statusCode: 404, title: "Single sign-on is not configured");
            }
            var props = signIn.ConfigureExternalAuthenticationProperties(AccountsSetup.OidcScheme,
                "/account/external-callback?returnUrl=" + Uri.EscapeDataString(SafeReturnUrl(returnUrl)));
            return Results.Challenge(props, [AccountsSetup.OidcScheme]);
        }).AllowAnonymous();

        account.MapGet("/external-callback", async (SignInManager<ProvisoUser> signIn, UserManager<ProvisoUser> users, AccountService accounts,
            IOptions<ProvisoOptions> options, string? returnUrl) =>
        {
            var info = await signIn.GetExternalLoginInfoAsync();
            if (info is null)
            {
                return Results.Redirect("/account/login?error=external");
            }
            var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
            if (user is null)
            {
                var email = info.Principal.FindFirstValue(ClaimTypes.Email) ?? info.Principal.FindFirstValue("email");
                if (email is null)
                {
                    return Results.Redirect("/account/login?error=external-email");
                }
                user = await users.FindByEmailAsync(email);
                if (user is null)
                {
                    var created = await accounts.CreateUserAsync(new CreateUserInput(email,
                        info.Principal.FindFirstValue(ClaimTypes.Name) ?? info.Principal.FindFirstValue("name"),
                        [.. options.Value.Oidc.DefaultRoles], null));
                    if (!created.IsOk)
                    {
                        return Results.Redirect("/account/login?error=external");
                    }
                    user = await users.FindByIdAsync(created.Value!.User.Id);
                    // Single sign-on users have no local password to change.
                    user!.MustChangePassword = false;
                    await users.UpdateAsync(user);
                }
                await users.AddLoginAsync(user, info);
            }
            if (user.IsDisabled)
            {
                return Results.Redirect("/account/login?error=invalid");
            }
            await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
            await signIn.Context.SignOutAsync(IdentityConstants.ExternalScheme);
            return Results.Redirect(SafeReturnUrl(returnUrl));
        }).AllowAnonymous();

        return app;
    }

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (ClaimsPrincipal user) => TypedResults.Ok(new
        {
            id = user.FindFirstValue(ClaimTypes.NameIdentifier),
            name = user.Identity?.Name,
            email = user.FindFirstValue(ClaimTypes.Email),
            roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value),
            permissions = Permissions.AllScopes.Where(p => Permissions.Has(user, p)),
            viaApiKey = Permissions.IsApiKey(user),
        })).WithTags("Accounts").WithName("GetMe").WithSummary("Who the caller is and what it may do.");

        var usersApi = app.MapGroup("/api/users").WithTags("Accounts").RequireAuthorization(Permissions.UsersManage);
        usersApi.MapGet("/", async (AccountService accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListUsersAsync(ct)))
            .WithName("ListUsers");
        usersApi.MapPost("/", async Task<Results<Created<CreatedUser>, ValidationProblem, ProblemHttpResult>> (CreateUserInput input, AccountService accounts) =>
            (await accounts.CreateUserAsync(input)).ToCreated(u => $"/api/users/{u.User.Id}")).WithName("CreateUser").WithSummary("Create a local user; without a password, a one-time password is generated and returned once.");
        usersApi.MapPut("/{id}", async (string id, UpdateUserInput input, AccountService accounts, ClaimsPrincipal me) =>
            (await accounts.UpdateUserAsync(id, input, me.FindFirstValue(ClaimTypes.NameIdentifier) ?? "")).ToHttp())
            .WithName("UpdateUser").WithSummary("Change a user's display name, roles or disabled state.");

        var keys = app.MapGroup("/api/api-keys").WithTags("Accounts").RequireAuthorization(Permissions.ApiKeysManage);
        keys.MapGet("/", async (AccountService accounts, ClaimsPrincipal me, CancellationToken ct, bool all = false) =>
        {
            var everyone = all && Permissions.Has(me, Permissions.UsersManage);
            return TypedResults.Ok(await accounts.ListApiKeysAsync(everyone ? null : me.FindFirstValue(ClaimTypes.NameIdentifier), ct));
        }).WithName("ListApiKeys").WithSummary("Your API keys (administrators: all=true for everyone's).");
        keys.MapPost("/", async Task<Results<Created<CreatedApiKey>, ValidationProblem, ProblemHttpResult>> (CreateApiKeyInput input, AccountService accounts, ClaimsPrincipal me, CancellationToken ct) =>
            (await accounts.CreateApiKeyAsync(me.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", input, ct)).ToCreated(k => $"/api/api-keys/{k.Key.Id}")).WithName("CreateApiKey").WithSummary("Create a key for yourself; the secret is in this response only.");
        keys.MapPost("/{id:guid}/revoke", async (Guid id, AccountService accounts, ClaimsPrincipal me, CancellationToken ct) =>
            (await accounts.RevokeApiKeyAsync(id, me.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", Permissions.Has(me, Permissions.UsersManage), ct)).ToHttp())
            .WithName("RevokeApiKey").WithSummary("Revoke a key at once; it stops working on the next request.");
        return app;
    }

    /// <summary>Only local paths: an open redirect after sign-in would hand the session to a phishing page.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
