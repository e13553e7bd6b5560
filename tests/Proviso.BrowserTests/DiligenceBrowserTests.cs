using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Proviso.Accounts;
using Proviso.Vendors;

namespace Proviso.BrowserTests;

/// <summary>The due-diligence workflow in a real browser: author, send, answer through the portal link, review, sign off.</summary>
public class DiligenceBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Send_answer_through_the_portal_review_and_sign_off()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        Guid vendorId;
        using (var scope = fixture.Services.CreateScope())
        {
            var vendors = scope.ServiceProvider.GetRequiredService<VendorService>();
            var created = await vendors.CreateAsync(new VendorInput
            {
                Name = $"Browser Vendor {suffix}", Status = VendorStatus.UnderReview,
                Services = [new ServiceInput { Name = "Summarizer", Criticality = Criticality.Medium, DataCategories = [DataCategory.CustomerContent] }],
            });
            vendorId = created.Value!.Id;
        }

        // Author a small questionnaire in the UI.
        var admin = await fixture.SignedInPageAsync();
        await admin.GotoAsync("/questionnaires");
        var key = $"browser-check-{suffix}";
        await admin.FillAsync("#template-yaml", $$"""
            key: {{key}}
            title: Browser check {{suffix}}
            sections:
              - id: s
                title: Security
                questions:
                  - { id: enc, text: Is data encrypted at rest?, expect: true, severity: high }
                  - { id: enc_how, text: Which algorithm?, type: text, when: enc.yes }
                  - { id: hours, text: Breach notice within how many hours?, type: number, min: 0, max: 1000, good_max: 72 }
                  - { id: report, text: Upload your SOC 2 report, type: file, score_answered: true }
            """);
        await admin.GetByTestId("save-template").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("template-saved")).ToContainTextAsync("4 questions");

        // Send it to the vendor contact; no mail server, so the link is shown.
        await admin.GotoAsync($"/vendors/{vendorId}");
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Assessments" }).ClickAsync();
        await admin.GetByTestId("send-template").Locator("div.mud-select").First.ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new() { HasText = $"Browser check {suffix}" }).ClickAsync();
        await admin.FillAsync("#send-name", "Dana Vendor");
        await admin.FillAsync("#send-email", "dana@vendor.example");
        await admin.GetByTestId("send-assessment").ClickAsync();
        var link = await admin.Locator("#portal-link").InputValueAsync();
        Assert.Contains("/portal/link/", link, StringComparison.Ordinal);

        // The vendor contact opens the link, answers, sees a follow-up appear, fixes a bad answer and a lying file, submits.
        var vendor = await fixture.AnonymousPageAsync();
        await vendor.GotoAsync(link);
        await vendor.ClickAsync("#continue");
        await Assertions.Expect(vendor.GetByTestId("portal-title")).ToHaveTextAsync($"Browser check {suffix}");
        await Assertions.Expect(vendor.GetByTestId("q-enc_how")).ToHaveCountAsync(0);
        await vendor.GetByTestId("q-enc").GetByText("Yes").ClickAsync();
        await Assertions.Expect(vendor.GetByTestId("q-enc_how")).ToBeVisibleAsync();
        await vendor.FillAsync("#answer-enc_how", "AES-256-GCM");
        await vendor.FillAsync("#answer-hours", "5000");
        await Assertions.Expect(vendor.GetByTestId("error-hours")).ToContainTextAsync("out of range"); // checked as typed
        await vendor.GetByTestId("save-draft").ClickAsync();
        await Assertions.Expect(vendor.GetByTestId("portal-error")).ToContainTextAsync("nothing was saved");
        await vendor.FillAsync("#answer-hours", "24");
        await Assertions.Expect(vendor.GetByTestId("error-hours")).ToHaveCountAsync(0);
        await vendor.GetByTestId("q-report").Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "soc2.pdf", MimeType = "application/pdf", Buffer = [(byte)'M', (byte)'Z', 0x90, 0x00],
        });
        await Assertions.Expect(vendor.GetByTestId("portal-error")).ToContainTextAsync("Windows executable");
        await vendor.GetByTestId("q-report").Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "soc2.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"),
        });
        await Assertions.Expect(vendor.GetByTestId("file-report")).ToContainTextAsync("soc2.pdf");
        await vendor.GetByTestId("submit-assessment").ClickAsync();
        await Assertions.Expect(vendor.GetByTestId("portal-notice")).ToContainTextAsync("Submitted");
        await Assertions.Expect(vendor.GetByTestId("portal-status")).ToHaveTextAsync("submitted");

        // The link was used: opening it again elsewhere is refused.
        var replay = await fixture.AnonymousPageAsync();
        await replay.GotoAsync(link);
        await Assertions.Expect(replay.Locator("#problem")).ToContainTextAsync("already been used");

        // Review and accept.
        await admin.ReloadAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Assessments" }).ClickAsync();
        await admin.GetByTestId("assessment-list").GetByRole(AriaRole.Link, new() { Name = $"Browser check {suffix}" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("assessment-status")).ToHaveTextAsync("submitted");
        await Assertions.Expect(admin.GetByTestId("assessment-score")).ToHaveTextAsync("100");
        await Assertions.Expect(admin.GetByTestId("row-enc_how")).ToContainTextAsync("AES-256-GCM");
        await admin.GetByTestId("accept-assessment").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("assessment-status")).ToHaveTextAsync("accepted");

        // Propose approval; each function signs in and signs.
        await admin.GotoAsync($"/vendors/{vendorId}");
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Decision" }).ClickAsync();
        await admin.GetByTestId("propose-decision").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("decision-status")).ToHaveTextAsync("pending");
        foreach (var role in new[] { Roles.Procurement, Roles.Security, Roles.Privacy, Roles.Legal })
        {
            var email = $"{role.ToLowerInvariant()}-{suffix}@browser.local";
            using (var scope = fixture.Services.CreateScope())
            {
                var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
                Assert.True((await accounts.CreateUserAsync(new CreateUserInput(email, role, [role], "Signer-Passw0rd-1"))).IsOk);
            }
            var signer = await fixture.SignedInPageAsync(email, "Signer-Passw0rd-1");
            await signer.GotoAsync($"/vendors/{vendorId}");
            await signer.GetByRole(AriaRole.Tab, new() { Name = "Decision" }).ClickAsync();
            await signer.GetByTestId($"sign-{role.ToLowerInvariant()}").ClickAsync();
            await Assertions.Expect(signer.GetByTestId("decision")).ToContainTextAsync($"{role}: agreed by {email}");
            await signer.Context.CloseAsync();
        }
        await admin.ReloadAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Decision" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("decision-status")).ToHaveTextAsync("final");
        await Assertions.Expect(admin.Locator(".mud-chip", new() { HasTextRegex = new Regex("^Approved$") })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Risk" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("risk-lines")).ToContainTextAsync("Strong questionnaire answers");
    }

    [BrowserFact]
    public async Task A_questionnaire_can_be_built_in_the_form_and_carried_to_yaml()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/questionnaires");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Form" }).ClickAsync();
        await page.FillAsync("#builder-key", $"form-built-{suffix}");
        await page.FillAsync("#builder-title", $"Form built {suffix}");
        var section = page.GetByTestId("builder-section").First;
        await section.GetByTestId("builder-add-question").ClickAsync();
        await Assertions.Expect(section.GetByTestId("builder-question")).ToHaveCountAsync(3); // the starter's two and the new one
        var added = section.GetByTestId("builder-question").Nth(2);
        await added.GetByRole(AriaRole.Textbox, new() { Name = "Question", Exact = true }).FillAsync("Do you keep prompts longer than 30 days?");
        // Renaming a question carries the new id into the condition that named it.
        var firstId = section.GetByTestId("builder-question").Nth(0).GetByRole(AriaRole.Textbox, new() { Name = "Id", Exact = true });
        await firstId.FillAsync("uses_our_data");
        await firstId.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("builder-rename-note")).ToContainTextAsync("'trains_on_data' is now 'uses_our_data' in 1 condition");
        await Assertions.Expect(section.GetByTestId("builder-question").Nth(1).GetByRole(AriaRole.Textbox, new() { Name = "Asked when (e.g. other_question.yes)" }))
            .ToHaveValueAsync("uses_our_data.yes");
        await page.GetByTestId("save-template").ClickAsync();
        await Assertions.Expect(page.GetByTestId("template-saved")).ToContainTextAsync("3 questions");

        // The same template, as YAML, carries what the form held.
        await page.GetByRole(AriaRole.Tab, new() { Name = "YAML" }).ClickAsync();
        await Assertions.Expect(page.Locator("#template-yaml")).ToHaveValueAsync(new Regex("Do you keep prompts longer than 30 days\\?"));
        var export = await page.Context.APIRequest.GetAsync($"/api/questionnaires/form-built-{suffix}?format=json");
        Assert.Equal(200, export.Status);
        var exported = await export.TextAsync();
        Assert.Contains("Do you keep prompts longer than 30 days?", exported, StringComparison.Ordinal);
        Assert.Contains("uses_our_data.yes", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("trains_on_data", exported, StringComparison.Ordinal);
    }
}
