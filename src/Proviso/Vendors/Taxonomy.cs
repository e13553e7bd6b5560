namespace Proviso.Vendors;

public enum VendorStatus
{
    Prospect,
    UnderReview,
    Approved,
    ApprovedWithConditions,
    Rejected,
    Offboarding,
    Terminated,
}

/// <summary>The fixed taxonomy of data categories a service may receive.</summary>
[Flags]
public enum DataCategory
{
    None = 0,
    ContactData = 1 << 0,
    Financial = 1 << 1,
    Health = 1 << 2,
    GovernmentIdentifiers = 1 << 3,
    Credentials = 1 << 4,
    CustomerContent = 1 << 5,
    EmployeeData = 1 << 6,
    ChildrensData = 1 << 7,
    Biometrics = 1 << 8,
}

public enum Criticality
{
    Low,
    Medium,
    High,
    Critical,
}

public enum RiskTier
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>Stable machine names ("under-review") and human labels for the inventory's enums.</summary>
public static class Taxonomy
{
    public static IReadOnlyList<DataCategory> AllCategories { get; } =
        Enum.GetValues<DataCategory>().Where(c => c != DataCategory.None).ToArray();

    public static string Key<T>(T value) where T : struct, Enum => KebabCase(value.ToString());

    public static string Label(DataCategory c) => c switch
    {
        DataCategory.ContactData => "Contact data",
        DataCategory.Financial => "Financial",
        DataCategory.Health => "Health",
        DataCategory.GovernmentIdentifiers => "Government identifiers",
        DataCategory.Credentials => "Credentials",
        DataCategory.CustomerContent => "Customer content",
        DataCategory.EmployeeData => "Employee data",
        DataCategory.ChildrensData => "Children's data",
        DataCategory.Biometrics => "Biometrics",
        _ => c.ToString(),
    };

    public static string Label(VendorStatus s) => s switch
    {
        VendorStatus.UnderReview => "Under review",
        VendorStatus.ApprovedWithConditions => "Approved with conditions",
        _ => s.ToString(),
    };

    public static IEnumerable<DataCategory> Split(DataCategory flags) =>
        AllCategories.Where(c => flags.HasFlag(c));

    /// <summary>Parses a machine name, a label or the C# name, ignoring case, spaces, dashes and underscores.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var wanted = Normalize(text);
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Normalize(candidate.ToString()) == wanted)
            {
                value = candidate;
                return true;
            }
        }
        // Labels such as "Children's data" or "Contact data" normalize the same way.
        if (typeof(T) == typeof(DataCategory))
        {
            foreach (var c in AllCategories)
            {
                if (Normalize(Label(c)) == wanted)
                {
                    value = (T)(object)c;
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Parses a list separated by ';', ',' or '|' into category flags; reports the first unknown entry.</summary>
    public static bool TryParseCategories(string? text, out DataCategory categories, out string? unknown)
    {
        categories = DataCategory.None;
        unknown = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        foreach (var part in text.Split([';', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse<DataCategory>(part, out var c) || c == DataCategory.None)
            {
                unknown = part;
                return false;
            }
            categories |= c;
        }
        return true;
    }

    public static string FormatCategories(DataCategory categories) =>
        string.Join(";", Split(categories).Select(Key));

    public static string AllowedValues<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) != 0 || typeof(T) != typeof(DataCategory)).Select(Key));

    private static string Normalize(string s)
    {
        Span<char> buffer = stackalloc char[Math.Min(s.Length, 256)];
        var n = 0;
        foreach (var ch in s)
        {
            if (char.IsLetterOrDigit(ch) && n < buffer.Length)
            {
                buffer[n++] = char.ToLowerInvariant(ch);
            }
        }
        return new string(buffer[..n]);
    }

    private static string KebabCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('-');
            }
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
