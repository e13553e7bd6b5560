using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Proviso.Data;
using Proviso.Hosting;

namespace Proviso.Accounts;

public static class AccountsSetup
{
    public const string SmartScheme = "Proviso";
    public const string OidcScheme = "oidc";
    public const string MustChangePasswordClaim = "must_change_password";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var oidc = builder.Configuration.GetSection($"{ProvisoOptions.SectionName}:Oidc").Get<OidcOptions>() ?? new OidcOptions();

        var auth = services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API key", o =>
                o.ForwardDefaultSelector = ctx => ApiKeyAuthenticationHandler.ReadKey(ctx.Request) is not null
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        auth.AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(ConfigureCookie));
        if (oidc.Enabled)
        {
            auth.AddOpenIdConnect(OidcScheme, oidc.DisplayName, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = false;
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.CallbackPath = "/signin-oidc";
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.Scope.Add("email");
                o.RequireHttpsMetadata = !oidc.Authority!.StartsWith("http://localhost", StringComparison.OrdinalIgnoreCase)
                    && !oidc.Authority.StartsWith("http://127.0.0.1", StringComparison.Ordinal);
            });
        }

        services.AddIdentityCore<ProvisoUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = AccountService.PasswordLength;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ProvisoDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<ProvisoClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddProvisoPolicies();
        services.AddScoped<AccountService>();
        services.AddCascadingAuthenticationState();
        return builder;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.LoginPath = "/account/login";
        o.LogoutPath = "/account/logout";
        o.AccessDeniedPath = "/account/access-denied";
        o.Cookie.Name = "proviso.auth";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.SlidingExpiration = true;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        // The API answers with status codes; only pages redirect to the sign-in form.
        o.Events.OnRedirectToLogin = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status403Forbidden);
    }

    private static Task ApiStatusOrRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/metrics");

    /// <summary>A user with a generated one-time password may do nothing but change it.</summary>
    public static IApplicationBuilder UseMustChangePassword(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (ctx.User.HasClaim(MustChangePasswordClaim, "true")
            && !ctx.Request.Path.StartsWithSegments("/account")
            && !ctx.Request.Path.StartsWithSegments("/_framework")
            && !ctx.Request.Path.StartsWithSegments("/_content")
            && !ctx.Request.Path.StartsWithSegments("/health"))
        {
            if (IsApi(ctx.Request))
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ctx.Response.WriteAsJsonAsync(OutcomeResults.Problem(403, "Password change required",
                    "Sign in to the web UI and choose a new password before using the API."), ctx.RequestAborted);
                return;
            }
            ctx.Response.Redirect("/account/change-password");
            return;
        }
        await next(ctx);
    });
}

/// <summary>Adds Proviso's own claims (display name, forced password change) to the sign-in cookie.</summary>
public sealed class ProvisoClaimsPrincipalFactory(UserManager<ProvisoUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ProvisoUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ProvisoUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        if (user.DisplayName is { Length: > 0 } name)
        {
            identity.AddClaim(new Claim("display_name", name));
        }
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(AccountsSetup.MustChangePasswordClaim, "true"));
        }
        return identity;
    }
}
