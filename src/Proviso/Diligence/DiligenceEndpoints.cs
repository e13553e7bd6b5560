using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Proviso.Accounts;
using Proviso.Diligence.Questionnaires;
using Proviso.Gateway;
using Proviso.Hosting;

namespace Proviso.Diligence;

public static class DiligenceEndpoints
{
    public static IHostApplicationBuilder AddDiligence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var s = builder.Services;
        s.AddScoped<TemplateService>();
        s.AddScoped<AssessmentService>();
        s.AddScoped<PortalService>();
        s.AddScoped<EvidenceService>();
        s.AddScoped<RiskService>();
        s.AddScoped<DecisionService>();
        s.AddScoped<DataFlowService>();
        s.AddScoped<DiligenceSweeper>();
        s.AddScoped<DiligenceOverview>();
        s.AddScoped<DiligenceReport>();
        s.AddSingleton<IEmailSender, SmtpEmailSender>();
        s.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ProvisoOptions>>().Value;
            return new EvidenceKey(DbPseudonymVault.LoadKey(o.Diligence.EvidenceKey, Path.Combine(o.FullDataDir, "evidence.key"), "Proviso:Diligence:EvidenceKey"));
        });
        s.AddHostedService<DiligenceSweepService>();
        return builder;
    }

    /// <summary>Checks settings that would otherwise fail later, when someone tries to sign off.</summary>
    internal static void Validate(DiligenceOptions o)
    {
        var unknown = o.SignOffFunctions.Where(f => !Roles.All.Contains(f, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 || o.SignOffFunctions.Length == 0)
        {
            throw new InvalidOperationException($"Proviso:Diligence:SignOffFunctions must name roles ({string.Join(", ", Roles.All)}); unknown: {string.Join(", ", unknown)}.");
        }
    }

    public static IEndpointRouteBuilder MapDiligenceApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api").WithTags("Due diligence").RequireAuthorization(Permissions.VendorsRead);
        var write = app.MapGroup("/api").WithTags("Due diligence").RequireAuthorization(Permissions.VendorsWrite);

        // Questionnaire templates
        read.MapGet("/questionnaires", async (TemplateService t, CancellationToken ct) => TypedResults.Ok(await t.ListAsync(ct)))
            .WithName("ListQuestionnaires").WithSummary("Questionnaire templates: the built-in AI-vendor questionnaire, custom and imported ones.");
        read.MapGet("/questionnaires/{key}", ExportTemplateAsync).WithName("ExportQuestionnaire")
            .WithSummary("A template as YAML (format=yaml, default) or JSON (format=json), ready to edit and import again.");
        write.MapPost("/questionnaires", ImportTemplateAsync).WithName("ImportQuestionnaire")
            .WithSummary("Create or replace a custom template from YAML or JSON in the body; format=vsaq imports Google's VSAQ format (key= names it).")
            .DisableAntiforgery();
        write.MapDelete("/questionnaires/{key}", async (string key, TemplateService t, CancellationToken ct) => (await t.DeleteAsync(key, ct)).ToHttp())
            .WithName("DeleteQuestionnaire");

        // Assessments
        read.MapGet("/assessments", async (AssessmentService a, CancellationToken ct, Guid? vendorId) => TypedResults.Ok(await a.ListAsync(vendorId, ct)))
            .WithName("ListAssessments").WithSummary("Assessments, newest first; vendorId filters.");
        read.MapGet("/assessments/{id:guid}", async Task<Results<Ok<AssessmentView>, ProblemHttpResult>> (Guid id, AssessmentService a, CancellationToken ct) =>
            await a.GetAsync(id, ct) is { } v ? TypedResults.Ok(v) : OutcomeResults.NotFound($"Assessment {id} does not exist."))
            .WithName("GetAssessment").WithSummary("An assessment with answers, score, findings, comments and evidence.");
        write.MapPost("/vendors/{id:guid}/assessments", async (Guid id, SendInput input, AssessmentService a, HttpRequest req, CancellationToken ct) =>
            (await a.SendAsync(id, input, BaseUrl(req), ct)).ToCreated(s => $"/api/assessments/{s.Assessment.Id}"))
            .WithName("SendAssessment").WithSummary("Send a questionnaire to a vendor contact: a single-use link, e-mailed when SMTP is set and always returned here.");
        write.MapPost("/assessments/{id:guid}/resend", async (Guid id, AssessmentService a, HttpRequest req, CancellationToken ct) =>
            (await a.ResendAsync(id, BaseUrl(req), ct)).ToHttp())
            .WithName("ResendAssessment").WithSummary("Issue a new link; earlier links and sessions stop working.");
        write.MapPost("/assessments/{id:guid}/review", async (Guid id, ReviewInput input, AssessmentService a, CancellationToken ct) =>
            (await a.ReviewAsync(id, input, ct)).ToHttp())
            .WithName("ReviewAssessment").WithSummary("action=comment|clarify|accept|cancel, with text and optionally the question it is about.");

        // Evidence
        read.MapGet("/vendors/{id:guid}/evidence", async (Guid id, EvidenceService e, CancellationToken ct) => TypedResults.Ok(await e.ListAsync(id, ct)))
            .WithName("ListEvidence").WithSummary("Certifications, reports and policies on file, soonest expiry first.");
        write.MapPost("/vendors/{id:guid}/evidence", UploadEvidenceAsync).WithName("UploadEvidence")
            .WithSummary("Upload evidence (multipart: file, kind, title, issuer, scope, periodStart, periodEnd, expiresOn). Stored encrypted with its SHA-256.")
            .DisableAntiforgery();
        write.MapPut("/evidence/{id:guid}", async (Guid id, EvidenceInput input, EvidenceService e, CancellationToken ct) => (await e.UpdateAsync(id, input, ct)).ToHttp())
            .WithName("UpdateEvidence").WithSummary("Set an evidence file's kind, issuer, scope, period and expiry.");
        write.MapDelete("/evidence/{id:guid}", async (Guid id, EvidenceService e, CancellationToken ct) => (await e.DeleteAsync(id, ct)).ToHttp()).WithName("DeleteEvidence");
        read.MapGet("/evidence/{id:guid}/file", async (Guid id, EvidenceService e, CancellationToken ct) => File(await e.DownloadAsync(id, null, ct)))
            .WithName("DownloadEvidence").WithSummary("The file, decrypted and checked against its recorded SHA-256 (409 if it was altered at rest).");

        // Risk
        read.MapGet("/vendors/{id:guid}/risk", async Task<Results<Ok<ResidualRisk>, ProblemHttpResult>> (Guid id, RiskService r, CancellationToken ct) =>
            await r.ResidualAsync(id, ct) is { } v ? TypedResults.Ok(v) : OutcomeResults.NotFound($"Vendor {id} does not exist."))
            .WithName("GetResidualRisk").WithSummary("Inherent and residual risk, explained line by line, and the next assessment date.");
        read.MapGet("/risks", async (RiskService r, CancellationToken ct) => TypedResults.Ok(await r.RegisterAsync(null, ct))).WithName("ListRisks")
            .WithSummary("The whole risk register.");
        read.MapGet("/vendors/{id:guid}/risks", async (Guid id, RiskService r, CancellationToken ct) => TypedResults.Ok(await r.RegisterAsync(id, ct))).WithName("ListVendorRisks");
        write.MapPost("/vendors/{id:guid}/risks", async (Guid id, RiskItemInput input, RiskService r, CancellationToken ct) =>
            (await r.SaveRiskAsync(id, null, input, ct)).ToCreated(x => $"/api/vendors/{id}/risks")).WithName("AddRisk");
        write.MapPut("/vendors/{id:guid}/risks/{riskId:guid}", async (Guid id, Guid riskId, RiskItemInput input, RiskService r, CancellationToken ct) =>
            (await r.SaveRiskAsync(id, riskId, input, ct)).ToHttp()).WithName("UpdateRisk");

        // Decisions
        read.MapGet("/vendors/{id:guid}/decisions", async (Guid id, DecisionService d, CancellationToken ct) => TypedResults.Ok(await d.ListAsync(id, ct))).WithName("ListDecisions");
        write.MapPost("/vendors/{id:guid}/decisions", async (Guid id, VendorDecisionInput input, DecisionService d, CancellationToken ct) =>
            (await d.ProposeAsync(id, input, ct)).ToCreated(x => $"/api/vendors/{id}/decisions"))
            .WithName("ProposeDecision").WithSummary("Propose approve / approve-with-conditions / reject; takes effect when every function signs.");
        read.MapPost("/decisions/{id:guid}/sign-offs", async (Guid id, SignOffInput input, DecisionService d, HttpContext http, CancellationToken ct) =>
            (await d.SignAsync(id, input, http.User, ct)).ToHttp())
            .WithName("SignDecision").WithSummary("Sign for a function you hold the role of: agree, or object with a note.");

        // Data flows
        read.MapGet("/vendors/{id:guid}/data-flows", async (Guid id, DataFlowService f, CancellationToken ct) => TypedResults.Ok(await f.ListAsync(id, ct))).WithName("ListDataFlows");
        read.MapGet("/vendors/{id:guid}/data-flows.svg", async (Guid id, DataFlowService f, CancellationToken ct) =>
            await f.SvgAsync(id, ct) is { } svg ? Results.Text(svg, "image/svg+xml", Encoding.UTF8) : OutcomeResults.NotFound($"Vendor {id} does not exist."))
            .WithName("GetDataFlowDiagram").WithSummary("The vendor's declared flows as SVG: systems → data categories → services → regions → sub-processors.");
        write.MapPost("/vendors/{id:guid}/data-flows", async (Guid id, DataFlowInput input, DataFlowService f, CancellationToken ct) =>
            (await f.SaveAsync(id, null, input, ct)).ToCreated(x => $"/api/vendors/{id}/data-flows")).WithName("AddDataFlow");
        write.MapPut("/vendors/{id:guid}/data-flows/{flowId:guid}", async (Guid id, Guid flowId, DataFlowInput input, DataFlowService f, CancellationToken ct) =>
            (await f.SaveAsync(id, flowId, input, ct)).ToHttp()).WithName("UpdateDataFlow");
        write.MapDelete("/vendors/{id:guid}/data-flows/{flowId:guid}", async (Guid id, Guid flowId, DataFlowService f, CancellationToken ct) =>
            (await f.DeleteAsync(id, flowId, ct)).ToHttp()).WithName("DeleteDataFlow");

        // Report and dashboard
        read.MapGet("/vendors/{id:guid}/diligence-report", async (Guid id, DiligenceReport r, CancellationToken ct, string format = "html") =>
        {
            if (format is not ("html" or "json"))
            {
                return TypedResults.Problem(statusCode: 400, title: "Unknown report format", detail: $"Format '{format}' is not supported; use html or json.");
            }
            if (await r.BuildAsync(id, ct) is not { } report)
            {
                return OutcomeResults.NotFound($"Vendor {id} does not exist.");
            }
            return format == "json" ? Results.Ok(report)
                : Results.File(Encoding.UTF8.GetBytes(DiligenceReport.Html(report)), "text/html; charset=utf-8", $"due-diligence-{Slug(report.Vendor)}.html");
        }).WithName("GetDiligenceReport").WithSummary("The vendor's due-diligence file (risk lines, data-flow SVG, assessments, evidence, register, decisions) as HTML or JSON.");
        read.MapGet("/diligence/overview", async (DiligenceOverview o, CancellationToken ct) => TypedResults.Ok(await o.GetAsync(ct)))
            .WithName("GetDiligenceOverview").WithSummary("Vendors by tier and status, assessments due and overdue, reassessments, certifications expiring, recent alerts.");
        read.MapGet("/diligence/alerts", async (DiligenceSweeper s, CancellationToken ct, int max = 50) => TypedResults.Ok(await s.RecentAsync(max, ct)))
            .WithName("ListDiligenceAlerts");
        return app;
    }

    /// <summary>The vendor portal: anonymous, reached only through a single-use link and the browser session it opens.</summary>
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        var portal = app.MapGroup("/portal").WithTags("Vendor portal").AllowAnonymous();
        portal.MapGet("/link/{token}", async (string token, PortalService p, CancellationToken ct) =>
        {
            var peek = await p.PeekAsync(token, ct);
            return peek.IsOk
                ? Page("Open your assessment", $"<p>You were invited to answer <b>{WebUtility.HtmlEncode(peek.Value)}</b>.</p><p>This link works once: continuing opens the assessment in this browser, where you can save drafts and come back.</p><form method=\"post\"><button type=\"submit\" id=\"continue\">Continue to the assessment</button></form>", 200)
                : Page("This link cannot be used", $"<p id=\"problem\">{WebUtility.HtmlEncode(peek.Message)}</p>", peek.Status);
        }).WithName("PortalLanding").WithSummary("The landing page of a portal link; it does not use the link (mail scanners that fetch links do not burn them).");
        portal.MapPost("/link/{token}", async (string token, PortalService p, HttpContext http, CancellationToken ct) =>
        {
            var result = await p.RedeemAsync(token, ct);
            if (!result.IsOk)
            {
                return Page("This link cannot be used", $"<p id=\"problem\">{WebUtility.HtmlEncode(result.Message)}</p>", result.Status);
            }
            http.Response.Cookies.Append(PortalService.CookieName, result.Value!.Token, new CookieOptions
            {
                HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/", Expires = result.Value.ExpiresAt, IsEssential = true,
            });
            return Results.Redirect($"/portal/assessment", permanent: false, preserveMethod: false);
        }).WithName("PortalRedeem").WithSummary("Uses a portal link once: sets the browser session and redirects to the assessment.").DisableAntiforgery();

        var api = portal.MapGroup("/api");
        api.MapGet("/session", async (PortalService p, HttpContext http, CancellationToken ct) =>
        {
            var s = await p.SessionAsync(Cookie(http), ct);
            return s.IsOk ? Results.Ok(new { assessmentId = s.Value }) : Problem(s);
        }).WithName("PortalSession").WithSummary("Which assessment this browser session opens.");
        api.MapGet("/assessments/{id:guid}", async (Guid id, PortalService p, HttpContext http, CancellationToken ct) =>
            Result(await p.GetAsync(Cookie(http), id, ct))).WithName("PortalGetAssessment");
        api.MapPut("/assessments/{id:guid}/answers", async (Guid id, SaveAnswersInput input, PortalService p, HttpContext http, CancellationToken ct) =>
            Result(await p.SaveAsync(Cookie(http), id, input, ct))).WithName("PortalSaveAnswers").WithSummary("Save draft answers; one bad answer saves none.");
        api.MapPost("/assessments/{id:guid}/submit", async (Guid id, PortalService p, HttpContext http, CancellationToken ct) =>
            Result(await p.SubmitAsync(Cookie(http), id, ct))).WithName("PortalSubmit");
        api.MapPost("/assessments/{id:guid}/comments", async (Guid id, PortalCommentInput input, PortalService p, HttpContext http, CancellationToken ct) =>
            Result(await p.CommentAsync(Cookie(http), id, input, ct))).WithName("PortalComment");
        api.MapPost("/assessments/{id:guid}/evidence", async (Guid id, PortalService p, EvidenceService e, HttpContext http, CancellationToken ct) =>
        {
            var (upload, problem) = await Uploads.ReadAsync(http.Request, e.MaxBytes, "evidence file", ct);
            if (upload is null)
            {
                return problem!;
            }
            return Result(await p.UploadAsync(Cookie(http), id, upload.FileName, upload.Content, Input(upload), ct), created: true);
        }).WithName("PortalUploadEvidence").DisableAntiforgery();
        api.MapGet("/assessments/{id:guid}/evidence/{evidenceId:guid}", async (Guid id, Guid evidenceId, PortalService p, HttpContext http, CancellationToken ct) =>
        {
            var r = await p.DownloadAsync(Cookie(http), id, evidenceId, ct);
            return r.IsOk ? Results.File(r.Value!.Content, r.Value.ContentType, r.Value.FileName) : Problem(r);
        }).WithName("PortalDownloadEvidence");
        return app;
    }

    private static string? Cookie(HttpContext http) => http.Request.Cookies[PortalService.CookieName];

    private static IResult Result<T>(PortalResult<T> r, bool created = false) =>
        r.IsOk ? (created ? Results.Created((string?)null, r.Value) : Results.Ok(r.Value)) : Problem(r);

    private static IResult Problem<T>(PortalResult<T> r) => r.Errors is { Count: > 0 }
        ? TypedResults.ValidationProblem(r.Errors, title: r.Message, detail: r.Message)
        : TypedResults.Problem(OutcomeResults.Problem(r.Status, r.Status switch
        {
            401 => "Not signed in",
            403 => "Not your assessment",
            404 => "Not found",
            409 => "Not open for changes",
            410 => "Link no longer valid",
            _ => "Request refused",
        }, r.Message));

    private static IResult Page(string title, string body, int status) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{WebUtility.HtmlEncode(title)} · Proviso</title>" +
        "<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:4em auto;padding:0 1em;color:#222}button{font-size:1rem;padding:.6em 1.2em;background:#1565c0;color:#fff;border:0;border-radius:4px;cursor:pointer}</style></head>" +
        $"<body><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>", "text/html; charset=utf-8", Encoding.UTF8, status);

    private static EvidenceInput Input(Upload u)
    {
        static DateOnly? Date(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        return new EvidenceInput(u.Field("kind"), u.Field("title"), u.Field("issuer"), u.Field("scope"), Date(u.Field("periodStart")), Date(u.Field("periodEnd")),
            Date(u.Field("expiresOn")), u.Field("questionId"));
    }

    private static async Task<IResult> UploadEvidenceAsync(Guid id, HttpRequest request, EvidenceService e, CancellationToken ct)
    {
        var (upload, problem) = await Uploads.ReadAsync(request, e.MaxBytes, "evidence file", ct);
        if (upload is null)
        {
            return problem!;
        }
        foreach (var field in new[] { "periodStart", "periodEnd", "expiresOn" })
        {
            if (upload.Field(field) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"'{text}' is not a date (use yyyy-MM-dd)."] });
            }
        }
        return (await e.StoreAsync(id, null, upload.FileName, upload.Content, Input(upload), fromVendor: false, ct)).ToCreated(x => $"/api/evidence/{x.Id}").Result;
    }

    private static async Task<IResult> ExportTemplateAsync(string key, TemplateService t, CancellationToken ct, string format = "yaml")
    {
        if (format is not ("yaml" or "json"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown format", detail: $"Format '{format}' is not supported; use yaml or json.");
        }
        if (await t.GetAsync(key, ct) is not { } template)
        {
            return OutcomeResults.NotFound($"There is no questionnaire '{key}'.");
        }
        return format == "json"
            ? Results.File(Encoding.UTF8.GetBytes(TemplateFormat.ToJson(template)), "application/json", $"{key}.json")
            : Results.File(Encoding.UTF8.GetBytes(TemplateFormat.ToYaml(template)), "application/yaml", $"{key}.yaml");
    }

    private static async Task<IResult> ImportTemplateAsync(HttpRequest request, TemplateService t, CancellationToken ct, string? format = null, string? key = null)
    {
        if (request.ContentLength > TemplateFormat.MaxBytes)
        {
            return Uploads.TooLarge(TemplateFormat.MaxBytes, "questionnaire");
        }
        string text;
        if (request.HasFormContentType)
        {
            var (upload, problem) = await Uploads.ReadAsync(request, TemplateFormat.MaxBytes, "questionnaire", ct);
            if (upload is null)
            {
                return problem!;
            }
            text = Encoding.UTF8.GetString(upload.Content);
            format ??= upload.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && upload.Content.AsSpan().IndexOf("\"questionnaire\""u8) >= 0 ? "vsaq" : null;
        }
        else
        {
            var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length > TemplateFormat.MaxBytes)
            {
                return Uploads.TooLarge(TemplateFormat.MaxBytes, "questionnaire");
            }
            try
            {
                text = new UTF8Encoding(false, true).GetString(buffer.ToArray());
            }
            catch (DecoderFallbackException)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["template"] = ["The questionnaire is not UTF-8 text."] });
            }
        }
        if (format is not (null or "yaml" or "json" or "vsaq"))
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown format", detail: $"Format '{format}' is not supported; use yaml, json or vsaq.");
        }
        return (await t.SaveAsync(text, format, key, ct)).ToCreated(s => $"/api/questionnaires/{s.Key}").Result;
    }

    private static IResult File(Outcome<EvidenceDownload> o) => o.Kind switch
    {
        OutcomeKind.Ok => Results.File(o.Value!.Content, o.Value.ContentType, o.Value.FileName),
        _ => o.ToHttp().Result,
    };

    private static string BaseUrl(HttpRequest r) => $"{r.Scheme}://{r.Host}{r.PathBase}";

    private static string Slug(string s) => new([.. s.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}
