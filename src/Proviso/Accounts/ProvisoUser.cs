using Microsoft.AspNetCore.Identity;

namespace Proviso.Accounts;

public sealed class ProvisoUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Set for a generated one-time password: the user must choose a new one before doing anything else.</summary>
    public bool MustChangePassword { get; set; }

    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The functions that govern AI vendors. Auditor is read-only.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Procurement = "Procurement";
    public const string Security = "Security";
    public const string Privacy = "Privacy";
    public const string Legal = "Legal";
    public const string Auditor = "Auditor";

    public static IReadOnlyList<string> All { get; } = [Admin, Procurement, Security, Privacy, Legal, Auditor];
}
