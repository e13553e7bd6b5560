using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Proviso.Accounts;
using Proviso.Diligence;
using Proviso.Diligence.Questionnaires;
using Proviso.Hosting;
using Proviso.Ledger;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Diligence;

/// <summary>The whole due-diligence workflow over HTTP on both databases: send, answer through the portal, review, decide, sign off.</summary>
public sealed class DiligenceWorkflowTests
{
    private static async Task<T> Read<T>(HttpResponseMessage r)
    {
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        return (await r.Content.ReadFromJsonAsync<T>(ProvisoFactory.Json))!;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Send_answer_review_and_sign_off_moves_the_vendor_to_approved_with_every_step_ledgered(DatabaseProvider provider)
    {
        var f = ProvisoFactory.For(provider);
        var vendor = await f.CreateAiVendorAsync();
        var reviewer = await f.ClientAsAsync(Roles.Security);
        var sent = await reviewer.SendAsync(vendor.Id);
        Assert.StartsWith("http", sent.Link);
        Assert.False(sent.Emailed); // no SMTP configured: the link is shown to the sender

        var browser = await f.OpenLinkAsync(sent.Link);
        var session = await Read<JsonElement>(await browser.GetAsync("/portal/api/session"));
        var id = session.GetProperty("assessmentId").GetGuid();
        Assert.Equal(sent.Assessment.Id, id);
        var view = await Read<AssessmentView>(await browser.GetAsync($"/portal/api/assessments/{id}"));
        Assert.Null(view.Score); // the vendor never sees its score or findings
        Assert.Null(view.Findings);
        Assert.Contains(view.Sections.SelectMany(s => s.Questions), q => q.Id == "training_use");

        // One out-of-range answer: nothing of the batch is saved.
        var bad = await browser.PutAsJsonAsync($"/portal/api/assessments/{id}/answers",
            new SaveAnswersInput(new() { ["sec_program"] = new("yes"), ["breach_notice_hours"] = new("-5") }), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("out of range", await bad.Content.ReadAsStringAsync());
        view = await Read<AssessmentView>(await browser.GetAsync($"/portal/api/assessments/{id}"));
        Assert.Equal(0, view.Answered);

        var upload = await browser.PostAsync($"/portal/api/assessments/{id}/evidence", DiligenceHelpers.File("soc2-2026.pdf", DiligenceHelpers.Pdf,
            ("kind", "soc2-type2"), ("issuer", "Example Audit LLP"), ("expiresOn", DateTime.UtcNow.AddDays(200).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("questionId", "cert_report")));
        var evidence = await Read<EvidenceSummary>(upload);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(DiligenceHelpers.Pdf)), evidence.Sha256);

        // A draft first, then the rest; submitting with a required question open is refused.
        var answers = DiligenceHelpers.GoodAnswers(evidence.Id);
        var first = answers.Take(10).ToDictionary();
        await Read<AssessmentView>(await browser.PutAsJsonAsync($"/portal/api/assessments/{id}/answers", new SaveAnswersInput(first), ProvisoFactory.Json));
        var early = await browser.PostAsync($"/portal/api/assessments/{id}/submit", null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("needs an answer", await early.Content.ReadAsStringAsync());
        await Read<AssessmentView>(await browser.PutAsJsonAsync($"/portal/api/assessments/{id}/answers", new SaveAnswersInput(answers), ProvisoFactory.Json));
        var submitted = await Read<AssessmentView>(await browser.PostAsync($"/portal/api/assessments/{id}/submit", null));
        Assert.Equal(AssessmentStatus.Submitted, submitted.Status);
        var locked = await browser.PutAsJsonAsync($"/portal/api/assessments/{id}/answers", new SaveAnswersInput(new() { ["sec_program"] = new("no") }), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);

        // The reviewer asks for clarification; the vendor changes an answer, replies and submits again.
        await Read<AssessmentView>(await reviewer.PostAsJsonAsync($"/api/assessments/{id}/review", new ReviewInput("clarify", "Which KMS holds the keys?", "enc_keys"), ProvisoFactory.Json));
        await Read<AssessmentView>(await browser.PutAsJsonAsync($"/portal/api/assessments/{id}/answers",
            new SaveAnswersInput(new() { ["enc_keys"] = new("keys_vendor_kms", Comment: "AWS KMS, per-tenant keys") }), ProvisoFactory.Json));
        await Read<AssessmentView>(await browser.PostAsJsonAsync($"/portal/api/assessments/{id}/comments", new PortalCommentInput("Keys live in AWS KMS.", "enc_keys"), ProvisoFactory.Json));
        await Read<AssessmentView>(await browser.PostAsync($"/portal/api/assessments/{id}/submit", null));
        var reviewed = await Read<AssessmentView>(await reviewer.GetAsync($"/api/assessments/{id}"));
        Assert.True(reviewed.Score > 90, $"score {reviewed.Score}");
        Assert.Equal(2, reviewed.Comments.Count);
        Assert.Contains(reviewed.Comments, c => c.FromVendor && c.QuestionId == "enc_keys");
        var accepted = await Read<AssessmentView>(await reviewer.PostAsJsonAsync($"/api/assessments/{id}/review", new ReviewInput("accept", null, null), ProvisoFactory.Json));
        Assert.Equal(AssessmentStatus.Accepted, accepted.Status);

        // Residual risk credits the accepted answers and the current SOC 2 report, line by line.
        var risk = await Read<ResidualRisk>(await reviewer.GetAsync($"/api/vendors/{vendor.Id}/risk"));
        Assert.Contains(risk.Lines, l => l.Factor == "questionnaire" && l.Effect == -1);
        Assert.Contains(risk.Lines, l => l.Factor == "evidence" && l.Effect == -1 && l.Text.Contains("Example Audit LLP"));
        Assert.True(risk.Residual < risk.Inherent, $"{risk.Residual} vs {risk.Inherent}");
        Assert.Equal("scheduled", risk.Next.State);

        // Decision: every function signs, each a different person; then the vendor is approved.
        var procurement = await f.ClientAsAsync(Roles.Procurement);
        var decision = await Read<DecisionView>(await procurement.PostAsJsonAsync($"/api/vendors/{vendor.Id}/decisions",
            new VendorDecisionInput("approve-with-conditions", "No health data until the DPA is signed.", null), ProvisoFactory.Json));
        Assert.Equal(["Procurement", "Security", "Privacy", "Legal"], decision.Waiting);
        foreach (var role in new[] { Roles.Procurement, Roles.Security, Roles.Privacy })
        {
            var d = await Read<DecisionView>(await (await f.ClientAsAsync(role)).PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput(role, true, null), ProvisoFactory.Json));
            Assert.Equal(DecisionStatus.Pending, d.Status);
        }
        var still = await Read<VendorDetails>(await reviewer.GetAsync($"/api/vendors/{vendor.Id}"));
        Assert.Equal(VendorStatus.UnderReview, still.Status);
        var final = await Read<DecisionView>(await (await f.ClientAsAsync(Roles.Legal)).PostAsJsonAsync($"/api/decisions/{decision.Id}/sign-offs", new SignOffInput("legal", true, "Checked."), ProvisoFactory.Json));
        Assert.Equal(DecisionStatus.Final, final.Status);
        var approved = await Read<VendorDetails>(await reviewer.GetAsync($"/api/vendors/{vendor.Id}"));
        Assert.Equal(VendorStatus.ApprovedWithConditions, approved.Status);

        var auditor = await f.ClientAsAsync(Roles.Auditor);
        var ledger = await Read<LedgerPage>(await auditor.GetAsync($"/api/ledger/entries?vendor={Uri.EscapeDataString(vendor.Name)}&pageSize=200"));
        var actions = ledger.Items.Select(e => e.Record.GetProperty("action").GetString()).ToList();
        foreach (var action in new[] { "assessment.sent", "portal.link-used", "assessment.draft-saved", "evidence.uploaded", "assessment.submitted",
                     "assessment.clarification-requested", "assessment.vendor-commented", "assessment.accepted", "decision.proposed", "decision.signed", "vendor.status-changed" })
        {
            Assert.Contains(action, actions);
        }
        Assert.Contains(ledger.Items, e => e.Record.GetProperty("action").GetString() == "assessment.draft-saved" && e.Record.GetProperty("actor").GetString() == "vendor contact dana@vendor.example");
    }

    [Fact]
    public async Task Forged_replayed_replaced_and_cross_assessment_links_are_refused()
    {
        var f = ProvisoFactory.For(DatabaseProvider.Sqlite);
        var reviewer = await f.ClientAsAsync(Roles.Procurement);
        var mine = await reviewer.SendAsync((await f.CreateAiVendorAsync()).Id);
        var theirs = await reviewer.SendAsync((await f.CreateAiVendorAsync("Other")).Id);

        var forged = await f.Browser().PostAsync("/portal/link/" + new string('A', 43), null);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("not valid", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await f.Browser().GetAsync("/portal/link/short")).StatusCode);

        var browser = await f.OpenLinkAsync(mine.Link);
        var replay = await f.Browser().PostAsync(DiligenceHelpers.PathOf(mine.Link), null);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Contains("already been used", await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, (await f.Browser().GetAsync(DiligenceHelpers.PathOf(mine.Link))).StatusCode);

        // A contact reaching for another vendor's assessment with their own session.
        var cross = await browser.GetAsync($"/portal/api/assessments/{theirs.Assessment.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, cross.StatusCode);
        var crossWrite = await browser.PutAsJsonAsync($"/portal/api/assessments/{theirs.Assessment.Id}/answers",
            new SaveAnswersInput(new() { ["sec_program"] = new("no") }), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Forbidden, crossWrite.StatusCode);
        var theirView = await Read<AssessmentView>(await reviewer.GetAsync($"/api/assessments/{theirs.Assessment.Id}"));
        Assert.Equal(0, theirView.Answered);
        // The portal session is not a sign-in to the rest of Proviso.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/api/assessments/{mine.Assessment.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Browser().GetAsync($"/portal/api/assessments/{mine.Assessment.Id}")).StatusCode);

        // Re-sending replaces the link: the old session stops, the new link works once.
        var resent = await Read<SentAssessment>(await reviewer.PostAsync($"/api/assessments/{mine.Assessment.Id}/resend", null));
        var old = await browser.GetAsync($"/portal/api/assessments/{mine.Assessment.Id}");
        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Contains("newer link", await old.Content.ReadAsStringAsync());
        var fresh = await f.OpenLinkAsync(resent.Link);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync($"/portal/api/assessments/{mine.Assessment.Id}")).StatusCode);

        // Cancelling withdraws access.
        await Read<AssessmentView>(await reviewer.PostAsJsonAsync($"/api/assessments/{mine.Assessment.Id}/review", new ReviewInput("cancel", "Vendor dropped.", null), ProvisoFactory.Json));
        Assert.Equal(HttpStatusCode.Gone, (await fresh.GetAsync($"/portal/api/assessments/{mine.Assessment.Id}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_browsers_using_one_link_at_once_get_one_session_between_them(DatabaseProvider provider)
    {
        var f = ProvisoFactory.For(provider);
        var sent = await (await f.ClientAsAsync(Roles.Procurement)).SendAsync((await f.CreateAiVendorAsync()).Id);
        var browsers = Enumerable.Range(0, 6).Select(_ => f.Browser()).ToList();
        var responses = await Task.WhenAll(browsers.Select(b => b.PostAsync(DiligenceHelpers.PathOf(sent.Link), null)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
        var winner = browsers[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Redirect)];
        Assert.Equal(HttpStatusCode.OK, (await winner.GetAsync($"/portal/api/assessments/{sent.Assessment.Id}")).StatusCode);
    }

    [Fact]
    public async Task Expired_links_and_sessions_are_refused_and_overdue_assessments_alert_once()
    {
        // Starts at the real time: the test client's cookie jar expires cookies by the real clock.
        var start = DateTimeOffset.UtcNow;
        var clock = new Data.ManualClock(start);
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:Diligence:SweepMinutes"] = "0" }, clock);
        var vendor = await f.CreateAiVendorAsync();
        var reviewer = await f.ClientAsAsync(Roles.Procurement);
        var today = DateOnly.FromDateTime(start.UtcDateTime);
        var unopened = await reviewer.SendAsync(vendor.Id, due: today.AddDays(9));
        var opened = await reviewer.SendAsync(vendor.Id, due: today.AddDays(19));
        var browser = await f.OpenLinkAsync(opened.Link);

        clock.Now = clock.Now.AddDays(15); // links are valid for 14 days
        var expired = await f.Browser().PostAsync(DiligenceHelpers.PathOf(unopened.Link), null);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains($"expired on {start.AddDays(14):yyyy-MM-dd}", await expired.Content.ReadAsStringAsync());
        var session = await browser.GetAsync($"/portal/api/assessments/{opened.Assessment.Id}");
        Assert.Equal(HttpStatusCode.Gone, session.StatusCode);
        Assert.Contains("saved answers are kept", await session.Content.ReadAsStringAsync());

        var overdue = await Read<IReadOnlyList<AssessmentSummary>>(await reviewer.GetAsync($"/api/assessments?vendorId={vendor.Id}"));
        Assert.True(overdue.Single(a => a.Id == unopened.Assessment.Id).Overdue);
        Assert.False(overdue.Single(a => a.Id == opened.Assessment.Id).Overdue);

        using var scope = f.Services.CreateScope();
        var sweeper = scope.ServiceProvider.GetRequiredService<DiligenceSweeper>();
        var raised = await sweeper.SweepAsync();
        Assert.Contains(raised, a => a.Kind == "assessment-overdue" && a.SubjectId == unopened.Assessment.Id);
        Assert.DoesNotContain(raised, a => a.SubjectId == opened.Assessment.Id);
        Assert.Empty(await sweeper.SweepAsync()); // once only
    }

    [Fact]
    public async Task Certification_expiry_raises_90_30_7_day_and_expired_alerts_once_each_and_shows_on_the_overview()
    {
        var clock = new Data.ManualClock(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
        using var f = new ProvisoFactory(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Proviso:Diligence:SweepMinutes"] = "0" }, clock);
        var vendor = await f.CreateAiVendorAsync();
        var client = await f.ClientAsAsync(Roles.Security);
        var stored = await Read<EvidenceSummary>(await client.PostAsync($"/api/vendors/{vendor.Id}/evidence", DiligenceHelpers.File("iso.pdf", DiligenceHelpers.Pdf,
            ("kind", "iso27001"), ("title", "ISO 27001 certificate"), ("issuer", "BSI"), ("expiresOn", "2026-06-30"))));
        Assert.Equal("valid", stored.ExpiryState);

        async Task<List<string>> SweepOn(DateTimeOffset when)
        {
            clock.Now = when;
            using var scope = f.Services.CreateScope();
            return [.. (await scope.ServiceProvider.GetRequiredService<DiligenceSweeper>().SweepAsync())
                .Where(a => a.SubjectId == stored.Id).Select(a => $"{a.Kind}:{a.Threshold}")];
        }
        Assert.Empty(await SweepOn(new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero)));          // 121 days left
        Assert.Equal(["evidence-expiring:90"], await SweepOn(new(2026, 4, 2, 8, 0, 0, TimeSpan.Zero)));
        Assert.Empty(await SweepOn(new(2026, 4, 3, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal(["evidence-expiring:30"], await SweepOn(new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal(["evidence-expiring:7"], await SweepOn(new(2026, 6, 25, 8, 0, 0, TimeSpan.Zero)));
        var overview = await Read<DiligenceOverviewView>(await client.GetAsync("/api/diligence/overview"));
        Assert.Contains(overview.Expiring, e => e.Evidence.Id == stored.Id && e.Evidence.DaysLeft == 5);
        Assert.Equal(["evidence-expired:0"], await SweepOn(new(2026, 7, 1, 8, 0, 0, TimeSpan.Zero)));
        var risk = await Read<ResidualRisk>(await client.GetAsync($"/api/vendors/{vendor.Id}/risk"));
        Assert.Contains(risk.Lines, l => l.Factor == "evidence" && l.Effect == 0 && l.Text.Contains("expired on 2026-06-30"));
        // Vendor added on 2026-01-01 and never assessed: due 30 days later, overdue by now.
        Assert.Equal("overdue", risk.Next.State);
        Assert.Equal(new DateOnly(2026, 1, 31), risk.Next.DueDate);
    }
}
