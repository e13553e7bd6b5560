namespace Proviso.BrowserTests;

/// <summary>
/// A browser test. On a developer machine without Chromium it is skipped with instructions; in CI
/// (CI=true) it always runs, so a missing browser fails the build instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !File.Exists(BrowserFixture.ChromiumPath))
        {
            Skip = $"Chromium not found at {BrowserFixture.ChromiumPath}: install Debian's 'chromium' package or set PROVISO_CHROMIUM.";
        }
    }
}
