using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Accounts;
using Proviso.Data;
using Proviso.Tests.Data;
using Proviso.Diligence;
using Proviso.Hosting;
using Proviso.Tests.Infrastructure;

namespace Proviso.Tests.Diligence;

public sealed class DiligenceScheduleTests
{
    [Fact]
    public async Task Invitations_reminders_and_alerts_are_emailed_when_smtp_is_configured()
    {
        await using var smtp = new SmtpStub();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Smtp:Host"] = "127.0.0.1", ["Proviso:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Proviso:Smtp:EnableSsl"] = "false", ["Proviso:Smtp:From"] = "proviso@org.example",
            ["Proviso:Diligence:AlertEmail"] = "vendor-risk@org.example", ["Proviso:Diligence:SweepMinutes"] = "0",
            ["Proviso:PublicUrl"] = "https://proviso.org.example",
        }, clock);
        var vendor = await f.CreateAiVendorAsync();
        var client = await f.ClientAsAsync(Roles.Procurement);
        var sent = await client.SendAsync(vendor.Id);
        Assert.True(sent.Emailed);
        Assert.StartsWith("https://proviso.org.example/portal/link/", sent.Link, StringComparison.Ordinal);
        var invitation = Assert.Single(smtp.Messages);
        Assert.Equal("dana@vendor.example", invitation.To);
        Assert.Contains(sent.Link, Body(invitation.Data), StringComparison.Ordinal);

        // Two days before the answers are due (14 days after sending) the contact is reminded, once.
        clock.Now = clock.Now.AddDays(12);
        using (var reminderScope = f.Services.CreateScope())
        {
            var sweeper = reminderScope.ServiceProvider.GetRequiredService<DiligenceSweeper>();
            Assert.Contains(await sweeper.SweepAsync(), a => a.Kind == "assessment-reminder" && a.SubjectId == sent.Assessment.Id);
            Assert.DoesNotContain(await sweeper.SweepAsync(), a => a.Kind == "assessment-reminder");
        }
        var reminders = smtp.Messages.Where(m => m.To == "dana@vendor.example" && Body(m.Data).Contains("is due on", StringComparison.Ordinal)).ToList();
        Assert.Single(reminders);

        clock.Now = clock.Now.AddDays(28); // now well past due
        using var scope = f.Services.CreateScope();
        var raised = await scope.ServiceProvider.GetRequiredService<DiligenceSweeper>().SweepAsync();
        Assert.NotEmpty(raised);
        Assert.Contains(smtp.Messages, m => m.To == "vendor-risk@org.example" && m.Data.Contains("was due", StringComparison.Ordinal));
    }

    /// <summary>The message body, decoded from base64 or quoted-printable as the client chose.</summary>
    private static string Body(string data)
    {
        var split = data.IndexOf("\n\n", StringComparison.Ordinal);
        var (headers, body) = (data[..split], data[(split + 2)..]);
        if (headers.Contains("base64", StringComparison.OrdinalIgnoreCase))
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Split('\n').Select(l => l.Trim()))));
        }
        var qp = body.Replace("=\n", "", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(qp, "=([0-9A-F]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
    }

    [Fact]
    public async Task An_accepted_assessment_schedules_the_next_by_risk_tier_with_a_reminder_then_an_overdue_alert()
    {
        var start = DateTimeOffset.UtcNow;
        var clock = new ManualClock(start);
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:Diligence:SweepMinutes"] = "0" }, clock);
        var vendor = await f.CreateAiVendorAsync(); // health data at high criticality: critical inherent risk, every 6 months
        Guid assessmentId;
        using (var scope = f.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProvisoDbContext>();
            var a = new Assessment
            {
                VendorId = vendor.Id, TemplateKey = "ai-vendor", TemplateTitle = "AI vendor due diligence", ContactName = "Dana", ContactEmail = "dana@vendor.example",
                Definition = Proviso.Diligence.Questionnaires.TemplateFormat.ToJson(Proviso.Diligence.Questionnaires.TemplateFormat.BuiltIn()),
                Status = AssessmentStatus.Accepted, AcceptedAt = start, Score = 95,
            };
            db.Add(a);
            await db.SaveChangesAsync();
            assessmentId = a.Id;
        }
        var client = await f.ClientAsAsync(Roles.Security);
        var risk = await client.GetFromJsonAsync<ResidualRisk>($"/api/vendors/{vendor.Id}/risk", ProvisoFactory.Json);
        var due = DateOnly.FromDateTime(start.UtcDateTime).AddMonths(6);
        Assert.Equal(due, risk!.Next.DueDate);
        Assert.Equal("scheduled", risk.Next.State);
        Assert.Contains("Every 6 months at critical risk", risk.Next.Reason, StringComparison.Ordinal);

        async Task<List<string>> SweepOn(DateTimeOffset when)
        {
            clock.Now = when;
            using var scope = f.Services.CreateScope();
            return [.. (await scope.ServiceProvider.GetRequiredService<DiligenceSweeper>().SweepAsync()).Where(a => a.VendorId == vendor.Id).Select(a => a.Kind)];
        }
        Assert.Empty(await SweepOn(start.AddMonths(4)));
        Assert.Equal(["reassessment-due"], await SweepOn(start.AddMonths(6).AddDays(-20)));
        Assert.Empty(await SweepOn(start.AddMonths(6).AddDays(-10)));
        Assert.Equal(["reassessment-overdue"], await SweepOn(start.AddMonths(6).AddDays(2)));
        var overview = await client.GetFromJsonAsync<DiligenceOverviewView>("/api/diligence/overview", ProvisoFactory.Json);
        Assert.Contains(overview!.Reassessments, r => r.VendorId == vendor.Id && r.State == "overdue");
        Assert.NotEqual(Guid.Empty, assessmentId);
    }

    [Fact]
    public void Sign_off_functions_must_be_roles_or_the_host_does_not_start()
    {
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Proviso:Diligence:SignOffFunctions:0"] = "Security", ["Proviso:Diligence:SignOffFunctions:1"] = "Finance",
        });
        var ex = Assert.ThrowsAny<Exception>(() => f.Services);
        Assert.Contains("SignOffFunctions", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("Finance", ex.ToString(), StringComparison.Ordinal);
    }
}
