using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Accounts;
using Proviso.Hosting;
using Proviso.Vendors;

namespace Proviso.Tests.Infrastructure;

/// <summary>
/// The host under test on a fresh database of the given provider, with intent methods so tests say
/// what they do ("as a Procurement user, create a vendor") rather than how.
/// </summary>
public sealed class ProvisoFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-Passw0rd-Test";

    private static readonly ConcurrentDictionary<DatabaseProvider, Lazy<ProvisoFactory>> Shared = new();
    private readonly ConcurrentDictionary<string, string> _keysByRole = new();
    private readonly Dictionary<string, string?> _settings;

    private readonly TimeProvider? _clock;

    /// <summary>A host of its own; <paramref name="clock"/> replaces the system clock for time-dependent behavior.</summary>
    public ProvisoFactory(DatabaseProvider provider, IDictionary<string, string?>? extra = null, TimeProvider? clock = null)
    {
        _clock = clock;
        Provider = provider;
        DataDir = TestDatabase.NewTempDir();
        ConnectionString = provider == DatabaseProvider.Postgres ? TestDatabase.CreatePostgresDatabase() : null;
        _settings = new Dictionary<string, string?>
        {
            ["Proviso:DataDir"] = DataDir,
            ["Proviso:Database:Provider"] = provider.ToString(),
            ["Proviso:Database:ConnectionString"] = ConnectionString,
            ["Proviso:Admin:Email"] = AdminEmail,
            ["Proviso:Admin:Password"] = AdminPassword,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    /// <summary>One factory per provider shared by the test run; tests use unique names so they never collide.</summary>
    public static ProvisoFactory For(DatabaseProvider provider) =>
        Shared.GetOrAdd(provider, p => new Lazy<ProvisoFactory>(() =>
        {
            var factory = new ProvisoFactory(p);
            // Start the host here, inside the Lazy: test classes run in parallel and the factory's own start is not thread-safe.
            _ = factory.Services;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => factory.Dispose();
            return factory;
        })).Value;

    public DatabaseProvider Provider { get; }
    public string DataDir { get; }
    public string? ConnectionString { get; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Testing");
        if (_clock is not null)
        {
            builder.ConfigureTestServices(s => s.AddSingleton(_clock));
        }
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client authenticated by an API key whose owner holds the given roles and every scope they grant.</summary>
    public async Task<HttpClient> ClientAsAsync(params string[] roles)
    {
        var label = roles.Length == 0 ? "none" : string.Join('+', roles.Order());
        if (!_keysByRole.TryGetValue(label, out var secret))
        {
            var scopes = Permissions.RolesFor.Where(p => p.Value.Any(roles.Contains)).Select(p => p.Key).ToList();
            secret = await CreateUserWithKeyAsync(roles, scopes);
            _keysByRole[label] = secret;
        }
        return WithKey(secret);
    }

    public HttpClient WithKey(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>Creates a user with the roles and an API key with the scopes, directly through the account service.</summary>
    public async Task<string> CreateUserWithKeyAsync(string[] roles, IReadOnlyList<string> scopes)
    {
        using var scope = Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var email = $"{(roles.Length == 0 ? "norole" : string.Join('-', roles).ToLowerInvariant())}-{Guid.NewGuid():N}@test.local";
        var user = await accounts.CreateUserAsync(new CreateUserInput(email, null, [.. roles], "Us3r-Passw0rd-Test"));
        Assert.True(user.IsOk, user.Describe());
        if (scopes.Count == 0)
        {
            // A user whose roles grant nothing still needs a way in: a key with a scope it cannot use.
            scopes = [Permissions.VendorsRead];
            var db = scope.ServiceProvider.GetRequiredService<global::Proviso.Data.ProvisoDbContext>();
            var secret = ApiKey.NewSecret();
            db.ApiKeys.Add(new ApiKey { Name = "test", OwnerId = user.Value!.User.Id, Hint = secret[..10], Hash = ApiKey.HashOf(secret), Scopes = [.. scopes], CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return secret;
        }
        var key = await accounts.CreateApiKeyAsync(user.Value!.User.Id, new CreateApiKeyInput("test", [.. scopes], null));
        Assert.True(key.IsOk, key.Describe());
        return key.Value!.Secret;
    }

    public async Task<VendorDetails> CreateVendorAsync(VendorInput input)
    {
        var client = await ClientAsAsync(Roles.Procurement);
        var response = await client.PostAsJsonAsync("/api/vendors", input, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<VendorDetails>(Json))!;
    }

    public static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ConnectionString is not null)
        {
            TestDatabase.DropPostgresDatabase(ConnectionString);
        }
    }
}
