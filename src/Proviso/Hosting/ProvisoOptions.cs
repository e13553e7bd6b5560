namespace Proviso.Hosting;

/// <summary>Root of the <c>Proviso</c> configuration section.</summary>
public sealed class ProvisoOptions
{
    public const string SectionName = "Proviso";

    /// <summary>Where the SQLite file and encrypted files live. Relative paths resolve against the working directory.</summary>
    public string DataDir { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();
    public AdminOptions Admin { get; set; } = new();
    public OidcOptions Oidc { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public ImportOptions Import { get; set; } = new();
    public LedgerOptions Ledger { get; set; } = new();
    public PrivacyOptions Privacy { get; set; } = new();

    /// <summary>The organization's contract playbook overrides (YAML, same shape as <c>proviso scan --playbook</c>); empty for the shipped playbook.</summary>
    public string? ContractPlaybook { get; set; }

    public string FullDataDir => Path.GetFullPath(DataDir);
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite defaults to <c>proviso.db</c> under the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations when <c>serve</c> starts. <c>proviso migrate</c> always applies them.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public sealed class AdminOptions
{
    public string Email { get; set; } = "admin@proviso.local";
    public string? Password { get; set; }
}

public sealed class OidcOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>Roles given to a user the first time they sign in through OpenID Connect.</summary>
    public string[] DefaultRoles { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

public sealed class DemoOptions
{
    public bool Enabled { get; set; }
    public string? UpstreamUrl { get; set; }
    public string? GatewayKey { get; set; }

    /// <summary>Limits of the demo application (raise them for load tests).</summary>
    public int GatewayRequestsPerMinute { get; set; } = 600;

    public int GatewayDailyQuota { get; set; } = 100_000;
}

public sealed class ImportOptions
{
    /// <summary>Largest accepted import file, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest number of data rows in one import.</summary>
    public int MaxRows { get; set; } = 50_000;
}

public sealed class LedgerOptions
{
    /// <summary>The log's origin line in checkpoints; name it after your deployment so logs are never confused.</summary>
    public string Origin { get; set; } = "proviso.local/ledger";

    /// <summary>Ed25519 signer key file (C2SP <c>PRIVATE+KEY+…</c>); default <c>ledger-signing.key</c> in the data directory, created on first start.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Most entries per commit.</summary>
    public int MaxBatch { get; set; } = 4096;
}

public sealed class PrivacyOptions
{
    /// <summary>32-byte AES key (base64) for the vault; default: <c>vault.key</c> in the data directory, created on first use.</summary>
    public string? VaultKey { get; set; }

    /// <summary><c>memory</c> (pseudonyms live for one request) or <c>database</c> (shared by instances, survive restarts).</summary>
    public string Vault { get; set; } = "memory";

    /// <summary>How long pseudonyms of a scope stay resolvable.</summary>
    public TimeSpan VaultTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Recognizers declared in configuration (regex, optional validator, context words).</summary>
    public List<Proviso.Privacy.CustomRecognizer> CustomRecognizers { get; set; } = [];

    /// <summary>Values never reported (e.g. the organization's own support address).</summary>
    public List<string> AllowList { get; set; } = [];
}
