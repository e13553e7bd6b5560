using Microsoft.EntityFrameworkCore;
using Proviso.Data;
using Proviso.Vendors;

namespace Proviso.Demo;

/// <summary>
/// Seeds a realistic workspace on an empty database so a new user sees a living dashboard at once.
/// Vendors are fictional; their domains are reserved example domains.
/// </summary>
public sealed class DemoSeeder(ProvisoDbContext db, VendorService vendors, Contracts.ContractReviewService contracts, Microsoft.Extensions.Options.IOptions<Hosting.ProvisoOptions> options,
    Gateway.GatewayCatalog catalog, TimeProvider time, ILogger<DemoSeeder> logger, IServiceProvider services)
{
    public const string DemoModel = "demo-llm";

    /// <summary>
    /// With Proviso:Demo:UpstreamUrl, a "demo-llm" service routed to it (health data and credentials
    /// blocked, everything else masked); with Proviso:Demo:GatewayKey, an application holding that key.
    /// Idempotent: runs on every demo start so a changed URL or key takes effect.
    /// </summary>
    public async Task WireGatewayAsync(CancellationToken ct = default)
    {
        var demo = options.Value.Demo;
        if (string.IsNullOrWhiteSpace(demo.UpstreamUrl))
        {
            return;
        }
        var previousActor = db.Actor;
        db.Actor = "demo-seed";
        try
        {
            const string vendorName = "Local Model Server";
            var vendor = await db.Vendors.Include(v => v.Services).FirstOrDefaultAsync(v => v.NormalizedName == Vendor.Normalize(vendorName), ct);
            if (vendor is null)
            {
                var created = await vendors.CreateAsync(new VendorInput
                {
                    Name = vendorName,
                    Description = "An OpenAI-compatible model server for trying the gateway.",
                    Owner = "Platform Engineering",
                    Status = VendorStatus.Approved,
                    Tags = ["demo", "llm"],
                    Services = [new ServiceInput { Name = DemoModel, Purpose = "Demo chat completions through the Proviso gateway", Criticality = Criticality.Medium, DataCategories = [DataCategory.CustomerContent, DataCategory.ContactData] }],
                }, ct);
                if (!created.IsOk)
                {
                    logger.LogWarning("Demo gateway vendor not created: {Reason}", created.Describe());
                    return;
                }
                vendor = await db.Vendors.Include(v => v.Services).FirstAsync(v => v.Id == created.Value!.Id, ct);
            }
            var service = vendor.Services.First(s => s.Name == DemoModel);
            var url = demo.UpstreamUrl.TrimEnd('/');
            service.Endpoints = [new ServiceEndpoint { Url = url, Region = "local" }];
            service.Gateway = new Gateway.GatewayPolicy
            {
                Enabled = true,
                Models = [DemoModel],
                UpstreamBaseUrl = url,
                Categories =
                [
                    new Gateway.CategoryRule { Category = DataCategory.Health, Action = Gateway.CategoryAction.Block },
                    new Gateway.CategoryRule { Category = DataCategory.Credentials, Action = Gateway.CategoryAction.Block },
                ],
            };
            vendor.Refresh();
            if (!string.IsNullOrWhiteSpace(demo.GatewayKey))
            {
                var hash = Gateway.GatewayApplication.HashOf(demo.GatewayKey);
                if (!await db.GatewayApplications.AnyAsync(a => a.KeyHash == hash, ct))
                {
                    db.GatewayApplications.Add(new Gateway.GatewayApplication
                    {
                        Name = "demo-app",
                        Hint = demo.GatewayKey[..Math.Min(8, demo.GatewayKey.Length)],
                        KeyHash = hash,
                        ServiceIds = [service.Id],
                        RequestsPerMinute = demo.GatewayRequestsPerMinute,
                        DailyQuota = demo.GatewayDailyQuota,
                        CreatedAt = time.GetUtcNow(),
                        CreatedBy = "demo-seed",
                    });
                }
            }
            await db.SaveChangesAsync(ct);
            catalog.Invalidate();
        }
        finally
        {
            db.Actor = previousActor;
        }
    }

    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        if (await db.Vendors.AnyAsync(ct))
        {
            return 0;
        }
        var seeded = 0;
        var previousActor = db.Actor;
        db.Actor = "demo-seed";
        try
        {
            foreach (var input in Vendors())
            {
                var outcome = await vendors.CreateAsync(input, ct);
                if (outcome.IsOk)
                {
                    seeded++;
                    if (input.Name == "Lumen AI")
                    {
                        await SeedContractAsync(outcome.Value!.Id, ct);
                    }
                    await SeedDiligenceAsync(outcome.Value!, ct);
                }
                else
                {
                    logger.LogWarning("Demo vendor {Name} not seeded: {Reason}", input.Name, outcome.Describe());
                }
            }
        }
        finally
        {
            db.Actor = previousActor;
        }
        return seeded;
    }

    /// <summary>
    /// Due-diligence examples so every tab has something to show: a questionnaire out with Lumen AI's
    /// contact, a SOC 2 report for Northwind CRM that expires within 90 days, declared data flows, and a
    /// register entry.
    /// </summary>
    private async Task SeedDiligenceAsync(VendorDetails vendor, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var flows = services.GetRequiredService<Diligence.DataFlowService>();
        if (vendor.Name == "Lumen AI")
        {
            var sent = await services.GetRequiredService<Diligence.AssessmentService>().SendAsync(vendor.Id,
                new Diligence.SendInput(null, "Morgan Lee", "security@lumen-ai.example", today.AddDays(14)), options.Value.PublicUrl ?? "http://localhost:5000", ct);
            Warn(sent.IsOk, "assessment", sent.Describe());
            var chat = vendor.Services.First(s => s.Name == "Lumen Chat API");
            Warn((await flows.SaveAsync(vendor.Id, null, new Diligence.DataFlowInput(chat.Id, "Support desk", ["customer-content", "contact-data"], "eu-west-1", ["CloudHost EU"], "Draft replies to tickets"), ct)).IsOk, "data flow", "");
            Warn((await flows.SaveAsync(vendor.Id, null, new Diligence.DataFlowInput(chat.Id, "HR portal", ["employee-data"], "us-east-1", ["CloudHost US", "LabelWorks"], "Policy Q&A"), ct)).IsOk, "data flow", "");
            var risk = await services.GetRequiredService<Diligence.RiskService>().SaveRiskAsync(vendor.Id, null, new Diligence.RiskItemInput(
                "Employee data processed in the US", "HR questions reach the us-east-1 endpoint; transfer mechanism not yet confirmed.", "medium", "Privacy office",
                "mitigate", null, today.AddDays(45), "data flow"), ct);
            Warn(risk.IsOk, "risk", risk.Describe());
        }
        else if (vendor.Name == "Northwind CRM")
        {
            var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% Demo placeholder for a SOC 2 Type II report\n%%EOF\n");
            var soc2 = await services.GetRequiredService<Diligence.EvidenceService>().StoreAsync(vendor.Id, null, "northwind-soc2-type2.pdf", pdf,
                new Diligence.EvidenceInput("soc2-type2", "SOC 2 Type II report", "Example Assurance LLP", "Northwind CRM platform",
                    today.AddMonths(-11), today.AddMonths(-1), today.AddDays(45)), false, ct);
            Warn(soc2.IsOk, "evidence", soc2.Describe());
            var copilot = vendor.Services.First(s => s.Name == "Sales Copilot");
            Warn((await flows.SaveAsync(vendor.Id, null, new Diligence.DataFlowInput(copilot.Id, "Salesforce", ["contact-data", "customer-content"], "eu-central-1", ["Azure OpenAI"], "E-mail drafts"), ct)).IsOk, "data flow", "");
        }
    }

    private void Warn(bool ok, string what, string reason)
    {
        if (!ok)
        {
            logger.LogWarning("Demo {What} not seeded: {Reason}", what, reason);
        }
    }

    /// <summary>A fictional contract for Lumen AI, so the contract review page has something to show.</summary>
    private async Task SeedContractAsync(Guid vendorId, CancellationToken ct)
    {
        await using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Proviso.Demo.lumen-ai-terms.md")!;
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms, ct);
        var outcome = await contracts.UploadAsync(vendorId, "lumen-ai-terms.md", ms.ToArray(), ct);
        if (!outcome.IsOk)
        {
            logger.LogWarning("Demo contract not seeded: {Reason}", outcome.Describe());
        }
    }

    public static IReadOnlyList<VendorInput> Vendors() =>
    [
        new()
        {
            Name = "Northwind CRM",
            Website = "https://northwind-crm.example",
            Description = "Cloud CRM with an embedded generative-AI assistant that drafts e-mails and summarizes accounts.",
            Owner = "Dana Whitfield (Sales Operations)",
            Status = VendorStatus.ApprovedWithConditions,
            Tags = ["crm", "sales", "genai"],
            Contacts = [new("Priya Raman", "priya.raman@northwind-crm.example", "Account executive"), new("Security Desk", "security@northwind-crm.example", "Security")],
            Services =
            [
                new()
                {
                    Name = "Sales Copilot",
                    Purpose = "Drafts follow-up e-mails and summarizes account history for sales reps.",
                    Model = "GPT-4o class model, hosted by the vendor",
                    DataCategories = [DataCategory.ContactData, DataCategory.CustomerContent],
                    Criticality = Criticality.High,
                    MonthlyRecords = 250_000,
                    Endpoints = [new("https://api.northwind-crm.example/copilot", "us-east-1"), new("https://eu.northwind-crm.example/copilot", "eu-central-1")],
                },
                new()
                {
                    Name = "Lead Scoring",
                    Purpose = "Ranks inbound leads by likelihood to convert.",
                    Model = "Vendor's own gradient-boosted model",
                    DataCategories = [DataCategory.ContactData],
                    Criticality = Criticality.Medium,
                    MonthlyRecords = 40_000,
                    Endpoints = [new("https://api.northwind-crm.example/scoring", "us-east-1")],
                },
            ],
        },
        new()
        {
            Name = "Lumen AI",
            Website = "https://lumen-ai.example",
            Description = "Large-language-model API used by internal applications for support answers and document drafting.",
            Owner = "Marcus Lee (Platform Engineering)",
            Status = VendorStatus.Approved,
            Tags = ["llm", "api", "genai"],
            Contacts = [new("Trust Team", "trust@lumen-ai.example", "Trust & compliance")],
            Services =
            [
                new()
                {
                    Name = "Lumen Chat API",
                    Purpose = "Chat completions for the customer-support assistant and internal knowledge search.",
                    Model = "Lumen-3 Large",
                    DataCategories = [DataCategory.CustomerContent, DataCategory.ContactData, DataCategory.EmployeeData],
                    Criticality = Criticality.Critical,
                    MonthlyRecords = 1_200_000,
                    Endpoints = [new("https://api.lumen-ai.example/v1", "us-east-1"), new("https://eu.api.lumen-ai.example/v1", "eu-west-1")],
                },
                new()
                {
                    Name = "Lumen Embeddings",
                    Purpose = "Embeddings for semantic search over the help centre.",
                    Model = "lumen-embed-2",
                    DataCategories = [DataCategory.CustomerContent],
                    Criticality = Criticality.Medium,
                    MonthlyRecords = 300_000,
                    Endpoints = [new("https://eu.api.lumen-ai.example/v1", "eu-west-1")],
                },
            ],
        },
        new()
        {
            Name = "Clearcall Transcribe",
            Website = "https://clearcall.example",
            Description = "Transcribes and summarizes recorded support calls; voiceprints used for caller verification.",
            Owner = "Elena Novak (Customer Care)",
            Status = VendorStatus.UnderReview,
            Tags = ["transcription", "voice", "support"],
            Contacts = [new("Owen Brooks", "owen.brooks@clearcall.example", "Solutions engineer")],
            Services =
            [
                new()
                {
                    Name = "Call Transcription",
                    Purpose = "Speech-to-text and call summaries for quality review.",
                    Model = "Whisper-derived speech model",
                    DataCategories = [DataCategory.ContactData, DataCategory.CustomerContent, DataCategory.Financial, DataCategory.Biometrics],
                    Criticality = Criticality.High,
                    MonthlyRecords = 90_000,
                    Endpoints = [new("https://api.clearcall.example/v2/transcribe", "us-west-2")],
                },
            ],
        },
        new()
        {
            Name = "Metricly Analytics",
            Website = "https://metricly.example",
            Description = "Product analytics with AI-generated insights on user behaviour.",
            Owner = "Sam Ortiz (Product)",
            Status = VendorStatus.Prospect,
            Tags = ["analytics", "product"],
            Contacts = [new("Jules Martin", "jules@metricly.example", "Sales")],
            Services =
            [
                new()
                {
                    Name = "Insights Assistant",
                    Purpose = "Natural-language questions over product usage data.",
                    Model = "Third-party LLM (undisclosed)",
                    DataCategories = [DataCategory.ContactData, DataCategory.EmployeeData],
                    Criticality = Criticality.Low,
                    MonthlyRecords = 15_000,
                    Endpoints = [new("https://ingest.metricly.example", "us")],
                },
            ],
        },
        new()
        {
            Name = "CareNotes Health",
            Website = "https://carenotes.example",
            Description = "Clinical note summarization for the employee health programme.",
            Owner = "Dr. Amara Singh (Occupational Health)",
            Status = VendorStatus.Rejected,
            Tags = ["health", "genai"],
            Services =
            [
                new()
                {
                    Name = "Note Summarizer",
                    Purpose = "Summarizes occupational-health consultation notes.",
                    DataCategories = [DataCategory.Health, DataCategory.EmployeeData, DataCategory.GovernmentIdentifiers],
                    Criticality = Criticality.High,
                    MonthlyRecords = 2_000,
                    Endpoints = [new("https://api.carenotes.example", "global")],
                },
            ],
        },
        new()
        {
            Name = "HelpDesk GPT",
            Website = "https://helpdesk-gpt.example",
            Description = "Ticket triage bot being replaced by the in-house assistant.",
            Owner = "Marcus Lee (Platform Engineering)",
            Status = VendorStatus.Offboarding,
            Tags = ["support", "genai"],
            Services =
            [
                new()
                {
                    Name = "Ticket Triage",
                    Purpose = "Classifies and routes support tickets.",
                    DataCategories = [DataCategory.ContactData, DataCategory.CustomerContent, DataCategory.Credentials],
                    Criticality = Criticality.Medium,
                    MonthlyRecords = 60_000,
                    Endpoints = [new("https://api.helpdesk-gpt.example", "us-east-1")],
                },
            ],
        },
    ];
}
