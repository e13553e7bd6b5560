using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Proviso.Diligence;
using Proviso.Diligence.Questionnaires;
using Proviso.Tests.Infrastructure;
using Proviso.Vendors;

namespace Proviso.Tests.Diligence;

/// <summary>Intent-level steps of the due-diligence workflow, shared by the HTTP tests.</summary>
internal static class DiligenceHelpers
{
    public static Task<VendorDetails> CreateAiVendorAsync(this ProvisoFactory f, string prefix = "Diligence") => f.CreateVendorAsync(new VendorInput
    {
        Name = ProvisoFactory.UniqueName(prefix),
        Status = VendorStatus.UnderReview,
        Services = [new ServiceInput
        {
            Name = "Chat assistant", Criticality = Criticality.High,
            DataCategories = [DataCategory.CustomerContent, DataCategory.ContactData, DataCategory.Health],
            Endpoints = [new EndpointInput("https://api.vendor.example/v1", "eu-west-1")],
        }],
    });

    public static async Task<SentAssessment> SendAsync(this HttpClient reviewer, Guid vendorId, string template = "ai-vendor", DateOnly? due = null)
    {
        var response = await reviewer.PostAsJsonAsync($"/api/vendors/{vendorId}/assessments",
            new SendInput(template, "Dana Vendor", "dana@vendor.example", due), ProvisoFactory.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SentAssessment>(ProvisoFactory.Json))!;
    }

    /// <summary>A browser of the vendor contact: keeps cookies, does not follow redirects.</summary>
    public static HttpClient Browser(this ProvisoFactory f) =>
        f.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static string PathOf(string link) => new Uri(link).PathAndQuery;

    /// <summary>Opens the link as the contact would: the landing page, then "Continue".</summary>
    public static async Task<HttpClient> OpenLinkAsync(this ProvisoFactory f, string link)
    {
        var browser = f.Browser();
        var landing = await browser.GetAsync(PathOf(link));
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var redeem = await browser.PostAsync(PathOf(link), null);
        Assert.Equal(HttpStatusCode.Redirect, redeem.StatusCode);
        Assert.Equal("/portal/assessment", redeem.Headers.Location?.OriginalString);
        return browser;
    }

    public static Dictionary<string, Answer> GoodAnswers(Guid? evidenceId = null)
    {
        var a = new Dictionary<string, Answer>
        {
            ["sec_program"] = new("yes"), ["sec_roles"] = new("CISO Jane Roe"), ["sec_incidents_3y"] = new("no"),
            ["sec_pentest_date"] = new(DateTime.UtcNow.AddDays(-60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ["cert_held"] = new(Values: ["cert_soc2_t2"]),
            ["audit_rights"] = new("yes"), ["ir_plan"] = new("yes"), ["breach_notice_hours"] = new("48"), ["data_ownership"] = new("yes"),
            ["access_control"] = new("access_jit"), ["enc_rest"] = new("yes"), ["enc_keys"] = new("keys_customer"), ["enc_transit"] = new("yes"),
            ["secure_transfer"] = new("transfer_api_tls"), ["anonymization"] = new("yes"), ["storage_regions"] = new(Values: ["region_eu"]),
            ["storage_retention_days"] = new("0"), ["logging"] = new("yes"), ["log_retention_days"] = new("400"),
            ["reg_frameworks"] = new(Values: ["reg_gdpr", "reg_ccpa", "reg_hipaa"]), ["reg_dpa"] = new("yes"), ["subprocessors_list"] = new("yes"),
            ["subprocessors_notice"] = new("yes"), ["training_use"] = new("training_never"), ["training_human_review"] = new("no"),
            ["finetune_offered"] = new("no"), ["bias_testing"] = new("yes"), ["explainability"] = new("yes"), ["exit_return"] = new("yes"),
            ["exit_deletion_days"] = new("30"), ["exit_certificate"] = new("yes"),
        };
        if (evidenceId is { } id)
        {
            a["cert_report"] = new(id.ToString());
        }
        return a;
    }

    public static MultipartFormDataContent File(string name, byte[] content, params (string Key, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
        foreach (var (k, v) in fields)
        {
            form.Add(new StringContent(v), k);
        }
        return form;
    }

    public static byte[] Pdf => "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
}
