using System.Diagnostics;
using System.Text.Json;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Cli;

/// <summary>The `proviso detect` and `proviso mask` contract other tools depend on.</summary>
[Collection("Console")]
public class PrivacyCliTests
{
    [Fact]
    public async Task Detect_Json_PrintsFindingsWithTypeSpanScoreAndText()
    {
        var dir = TestDatabase.NewTempDir();
        var file = Path.Combine(dir, "in.txt");
        await File.WriteAllTextAsync(file, "Hello, reach me at anna.berg@example.com please.");

        var (exit, stdout, _) = await CliTests.RunAsync("detect", file, "--json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var f = doc.RootElement.GetProperty("findings").EnumerateArray().Single();
        Assert.Equal("EMAIL_ADDRESS", f.GetProperty("type").GetString());
        Assert.Equal(19, f.GetProperty("start").GetInt32());
        Assert.Equal(40, f.GetProperty("end").GetInt32());
        Assert.Equal("anna.berg@example.com", f.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Detect_Jsonl_PrintsOneLinePerInputLineInOrder()
    {
        var dir = TestDatabase.NewTempDir();
        var file = Path.Combine(dir, "in.jsonl");
        await File.WriteAllLinesAsync(file, ["{\"text\":\"SSN 536-22-8726\",\"id\":1}", "{\"text\":\"nothing\"}", "{\"text\":\"card 4111 1111 1111 1111\"}"]);

        var (exit, stdout, _) = await CliTests.RunAsync("detect", file, "--jsonl", "--field", "text");

        Assert.Equal(0, exit);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("US_SSN", JsonDocument.Parse(lines[0]).RootElement.GetProperty("findings")[0].GetProperty("type").GetString());
        Assert.Equal(0, JsonDocument.Parse(lines[1]).RootElement.GetProperty("findings").GetArrayLength());
        Assert.Equal("CREDIT_CARD", JsonDocument.Parse(lines[2]).RootElement.GetProperty("findings")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Mask_FindsRepeatsOfAValue_UnlessToldNotTo()
    {
        var dir = TestDatabase.NewTempDir();
        var input = Path.Combine(dir, "people.csv");
        await File.WriteAllTextAsync(input, "user,password,notes\nanna,Zq8rT4vLm2pX9wKd,she pasted Zq8rT4vLm2pX9wKd in the chat\n");

        var (exit, _, _) = await CliTests.RunAsync("mask", input, "-o", Path.Combine(dir, "on.csv"));
        var (exitOff, _, _) = await CliTests.RunAsync("mask", input, "-o", Path.Combine(dir, "off.csv"), "--no-repeats");

        Assert.Equal(0, exit);
        Assert.Equal(0, exitOff);
        // The password column reveals the secret; the notes repeat it with nothing around it that says so.
        Assert.Contains("anna,<SECRET>,she pasted <SECRET> in the chat", await File.ReadAllTextAsync(Path.Combine(dir, "on.csv")), StringComparison.Ordinal);
        Assert.Contains("anna,<SECRET>,she pasted Zq8rT4vLm2pX9wKd in the chat", await File.ReadAllTextAsync(Path.Combine(dir, "off.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mask_JsonlField_KeepsTheObject_AndWritesAReport()
    {
        var dir = TestDatabase.NewTempDir();
        var input = Path.Combine(dir, "in.jsonl");
        var output = Path.Combine(dir, "out.jsonl");
        var report = Path.Combine(dir, "report.json");
        await File.WriteAllLinesAsync(input, ["{\"id\":\"anna@example.com\",\"text\":\"mail anna@example.com\",\"n\":1.50}"]);

        var (exit, _, stderr) = await CliTests.RunAsync("mask", input, "-o", output, "--format", "jsonl", "--field", "text", "--report", report);

        Assert.Equal(0, exit);
        Assert.Equal("{\"id\":\"anna@example.com\",\"text\":\"mail <EMAIL_ADDRESS>\",\"n\":1.50}", (await File.ReadAllTextAsync(output)).Trim());
        Assert.Contains("EMAIL_ADDRESS", stderr);
        using var r = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(1, r.RootElement.GetProperty("counts").GetProperty("EMAIL_ADDRESS").GetInt32());
    }

    [Fact]
    public async Task Mask_BadInput_FailsInOneLine_AndWritesNoOutputFile()
    {
        var dir = TestDatabase.NewTempDir();
        var input = Path.Combine(dir, "bad.json");
        var output = Path.Combine(dir, "out.json");
        await File.WriteAllTextAsync(input, "{\"email\": \"anna@example.com\", ");

        var (exit, _, stderr) = await CliTests.RunAsync("mask", input, "-o", output);

        Assert.Equal(1, exit);
        Assert.StartsWith("proviso: bad.json: ", stderr);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));

        Assert.Equal(1, (await CliTests.RunAsync("mask", input, "--operator", "shred")).Exit);
        Assert.Equal(1, (await CliTests.RunAsync("detect", input, "--entities", "NOT_A_TYPE")).Exit);
        var threads = await CliTests.RunAsync("mask", input, "--threads", "0");
        Assert.Equal(1, threads.Exit);
        Assert.Contains("--threads must be between 1 and 256", threads.Err);
    }

    [Fact]
    public async Task Detect_ReadsStandardInput()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "proviso.exe" : "proviso");
        using var process = Process.Start(new ProcessStartInfo(exe, ["detect", "-", "--json"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync("IBAN GB82 WEST 1234 5698 7654 32");
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("IBAN_CODE", JsonDocument.Parse(stdout).RootElement.GetProperty("findings")[0].GetProperty("type").GetString());
    }
}
