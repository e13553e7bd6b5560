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
    public DiligenceOptions Diligence { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The address people reach Proviso at (e.g. <c>https://proviso.example.com</c>), for links in e-mails; default: the request's own.</summary>
    public string? PublicUrl { get; set; }

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

    /// <summary>
    /// <see cref="LedgerDurability.Flushed"/> (default): a record counts — and a gateway call goes out — only once
    /// the database has flushed it to disk. <see cref="LedgerDurability.Committed"/>: once it is committed to the
    /// database; the disk flush follows within about a second, so a crash of Proviso loses nothing but a power
    /// loss can lose the last moment of records.
    /// </summary>
    public LedgerDurability Durability { get; set; } = LedgerDurability.Flushed;
}

/// <summary>When a ledger commit counts as done.</summary>
public enum LedgerDurability
{
    /// <summary>After the database flushed it to disk (SQLite synchronous=FULL, PostgreSQL synchronous_commit).</summary>
    Flushed,

    /// <summary>After the database committed it; flushed to disk within about a second (SQLite synchronous=NORMAL + periodic WAL sync, PostgreSQL synchronous_commit=off).</summary>
    Committed,
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

    /// <summary>A value found once is masked wherever else it appears in the request (other messages included).</summary>
    public bool RepeatValues { get; set; } = true;
}

public sealed class DiligenceOptions
{
    /// <summary>How long a portal link stays valid after it is sent.</summary>
    public int LinkValidDays { get; set; } = 14;

    /// <summary>Days before a certification expires at which an alert is raised (and e-mailed when SMTP is set).</summary>
    public int[] ExpiryAlertDays { get; set; } = [90, 30, 7];

    /// <summary>Months between assessments per residual risk tier (low, medium, high, critical).</summary>
    public Dictionary<string, int> ReassessMonths { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Low"] = 24, ["Medium"] = 18, ["High"] = 12, ["Critical"] = 6,
    };

    /// <summary>Days before an assessment is due at which a reminder is raised.</summary>
    public int ReminderDays { get; set; } = 30;

    /// <summary>The functions that must sign off a vendor decision; each must be a role name.</summary>
    public string[] SignOffFunctions { get; set; } = ["Procurement", "Security", "Privacy", "Legal"];

    /// <summary>Largest evidence file, in bytes.</summary>
    public long MaxEvidenceBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>32-byte AES key (base64) that encrypts evidence files; default <c>evidence.key</c> in the data directory, created on first use.</summary>
    public string? EvidenceKey { get; set; }

    /// <summary>Minutes between sweeps for expiring certifications and due assessments; 0 turns the background sweep off.</summary>
    public int SweepMinutes { get; set; } = 60;

    /// <summary>Where alerts are e-mailed when SMTP is configured (e.g. the vendor-risk team's list).</summary>
    public string? AlertEmail { get; set; }
}

public sealed class SmtpOptions
{
    /// <summary>SMTP server; when empty, no e-mail is sent and links are only shown to the sender.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "proviso@localhost";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
