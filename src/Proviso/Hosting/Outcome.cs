namespace Proviso.Hosting;

public enum OutcomeKind
{
    Ok,
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>The result of a domain operation that can fail in a way the caller must show to a person.</summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, IReadOnlyDictionary<string, string[]>? Errors = null, string? Message = null)
{
    public bool IsOk => Kind == OutcomeKind.Ok;

    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value);
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(OutcomeKind.Invalid, default, errors, "One or more fields are invalid.");
    public static Outcome<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
    public static Outcome<T> NotFound(string message) => new(OutcomeKind.NotFound, default, null, message);
    public static Outcome<T> Conflict(string message) => new(OutcomeKind.Conflict, default, null, message);

    /// <summary>Every error as one line, for the UI and the CLI.</summary>
    public string Describe() => Errors is { Count: > 0 }
        ? string.Join("; ", Errors.SelectMany(e => e.Value.Select(m => m)))
        : Message ?? Kind.ToString();

    public Outcome<TOther> Cast<TOther>() => new(Kind, default, Errors, Message);
}

/// <summary>Collects field errors under their JSON paths (<c>services[0].name</c>).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Trims and checks a text field; returns the trimmed value or null when empty.</summary>
    public string? Text(string field, string? value, int max, bool required = false, string? label = null)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
            {
                Add(field, $"{label ?? field} is required.");
            }
            return null;
        }
        if (trimmed.Length > max)
        {
            Add(field, $"{label ?? field} is {trimmed.Length} characters long; the limit is {max}.");
        }
        if (trimmed.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            Add(field, $"{label ?? field} contains control characters.");
        }
        return trimmed;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
