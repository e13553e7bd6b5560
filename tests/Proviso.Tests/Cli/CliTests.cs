using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Proviso.Cli;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Cli;

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleTests;

/// <summary>The command line as a user runs it. Console output is captured, so these run one at a time.</summary>
[Collection("Console")]
public class CliTests
{
    internal static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var o = new StringWriter();
        var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var exit = await ProvisoCli.RunAsync(args);
            return (exit, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    [Fact]
    public async Task Import_ThenExport_RoundTripsAndReportsBadRowsOnStderr()
    {
        var dir = TestDatabase.NewTempDir();
        var good = Path.Combine(dir, "good.csv");
        await File.WriteAllTextAsync(good, "name,status,service,data_categories,criticality\nCli Vendor,approved,Bot,health,high\n");
        var bad = Path.Combine(dir, "bad.csv");
        await File.WriteAllTextAsync(bad, "name,status\nOther,unheard-of\n");

        var imported = await RunAsync("import", good, "--data-dir", dir);
        Assert.Equal(0, imported.Exit);
        Assert.Contains("Imported 1 vendor(s) with 1 service(s)", imported.Out);

        var rejected = await RunAsync("import", bad, "--data-dir", dir);
        Assert.Equal(1, rejected.Exit);
        Assert.Contains("bad.csv:2: Unknown status 'unheard-of'", rejected.Err);

        var output = Path.Combine(dir, "out.xlsx");
        var exported = await RunAsync("export", "-o", output, "--data-dir", dir);
        Assert.Equal(0, exported.Exit);
        var table = VendorTable.ReadXlsx(File.OpenRead(output), 1000);
        Assert.Equal(["Cli Vendor"], table.Rows.Select(r => r.Cells[0]));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public async Task Import_MissingFile_FailsWithOneLine()
    {
        var dir = TestDatabase.NewTempDir();
        var result = await RunAsync("import", Path.Combine(dir, "nope.csv"), "--data-dir", dir);
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("proviso: ", result.Err);
        Assert.Single(result.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Export_UnsupportedExtension_FailsWithOneLine()
    {
        var dir = TestDatabase.NewTempDir();
        var result = await RunAsync("export", "-o", Path.Combine(dir, "v.pdf"), "--data-dir", dir);
        Assert.Equal(1, result.Exit);
        Assert.Contains("use a .csv or .xlsx file name", result.Err);
    }

    [Fact]
    public async Task Serve_AsAUserRunsIt_AnswersHealthAndGuardsTheApi_AndPrintsTheOneTimePasswordOnce()
    {
        var dir = TestDatabase.NewTempDir();
        var port = FreePort();
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "proviso.exe" : "proviso");
        var start = new ProcessStartInfo(exe, ["serve", "--demo", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        start.Environment.Remove("Proviso__Admin__Password");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpStatusCode? health = null;
            for (var i = 0; i < 120 && health != HttpStatusCode.OK; i++)
            {
                try
                {
                    health = (await http.GetAsync("/health")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(250);
                }
            }
            Assert.Equal(HttpStatusCode.OK, health);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/vendors")).StatusCode);
            string printed;
            lock (output)
            {
                printed = output.ToString();
            }
            Assert.Single(printed.Split('\n'), l => l.Contains("password:", StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(dir, "proviso.db")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
