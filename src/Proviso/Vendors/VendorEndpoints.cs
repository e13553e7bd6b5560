using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Proviso.Accounts;
using Proviso.Hosting;

namespace Proviso.Vendors;

public static class VendorEndpoints
{
    public static IHostApplicationBuilder AddVendors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<VendorService>();
        builder.Services.AddScoped<VendorTransfer>();
        return builder;
    }

    public static IEndpointRouteBuilder MapVendorsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/vendors").WithTags("Vendors").RequireAuthorization(Permissions.VendorsRead);
        var write = app.MapGroup("/api/vendors").WithTags("Vendors").RequireAuthorization(Permissions.VendorsWrite);

        read.MapGet("/", ListAsync).WithName("ListVendors").WithSummary("Search, filter, sort and page the vendor inventory.");
        read.MapGet("/{id:guid}", GetAsync).WithName("GetVendor").WithSummary("A vendor with its services and inherent risk explained.");
        read.MapGet("/export", ExportAsync).WithName("ExportVendors")
            .WithSummary("Export the inventory as CSV or Excel; cells that would run as formulas are neutralized.");
        read.MapGet("/taxonomy", () => TypedResults.Ok(new
        {
            statuses = Enum.GetValues<VendorStatus>().Select(s => new { key = Taxonomy.Key(s), label = Taxonomy.Label(s) }),
            dataCategories = Taxonomy.AllCategories.Select(c => new { key = Taxonomy.Key(c), label = Taxonomy.Label(c) }),
            criticalities = Enum.GetValues<Criticality>().Select(Taxonomy.Key),
            riskTiers = Enum.GetValues<RiskTier>().Select(Taxonomy.Key),
            importColumns = VendorTransfer.Columns,
        })).WithName("GetVendorTaxonomy").WithSummary("Allowed statuses, data categories, criticalities and import columns.");

        write.MapPost("/", CreateAsync).WithName("CreateVendor").WithSummary("Create a vendor, optionally with its AI services.");
        write.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateVendor").WithSummary("Update a vendor's own fields (services have their own endpoints).");
        write.MapPost("/{id:guid}/archive", (Guid id, VendorService s, CancellationToken ct) => ArchiveAsync(id, true, s, ct))
            .WithName("ArchiveVendor").WithSummary("Archive a vendor: hidden from lists, kept for the record.");
        write.MapPost("/{id:guid}/restore", (Guid id, VendorService s, CancellationToken ct) => ArchiveAsync(id, false, s, ct))
            .WithName("RestoreVendor").WithSummary("Bring an archived vendor back.");
        write.MapPost("/{id:guid}/services", AddServiceAsync).WithName("AddVendorService").WithSummary("Declare an AI service of the vendor.");
        write.MapPut("/{id:guid}/services/{serviceId:guid}", UpdateServiceAsync).WithName("UpdateVendorService");
        write.MapDelete("/{id:guid}/services/{serviceId:guid}", RemoveServiceAsync).WithName("RemoveVendorService");
        write.MapPost("/import", ImportAsync).WithName("ImportVendors")
            .WithSummary("Import vendors from CSV or Excel. All-or-nothing by default; the report lists each row's problems by line.")
            .WithDescription("Send multipart/form-data with the file in a field named 'file'. Query: mode=all-or-nothing|valid-only, dryRun=true.")
            // No .Accepts(): content-type matching happens in routing, before authorization, and would answer 415 to unauthorized callers.
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<VendorPage>, ValidationProblem>> ListAsync(
        VendorService vendors, CancellationToken ct,
        string? search = null, string? status = null, string? risk = null, string? tag = null,
        bool includeArchived = false, bool archivedOnly = false, string? sort = null, bool desc = false,
        int page = 1, int pageSize = 25)
    {
        var errors = new ValidationErrors();
        var query = new VendorQuery
        {
            Search = search, Status = ParseOptional<VendorStatus>("status", status, errors), Risk = ParseOptional<RiskTier>("risk", risk, errors),
            Tag = tag, IncludeArchived = includeArchived, ArchivedOnly = archivedOnly,
            Sort = ParseOptional<VendorSort>("sort", sort, errors) ?? VendorSort.Name, Descending = desc, Page = page, PageSize = pageSize,
        };
        return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()) : TypedResults.Ok(await vendors.QueryAsync(query, ct));
    }

    /// <summary>Query strings accept the same kebab-case names as JSON bodies ("under-review"), ignoring case.</summary>
    internal static T? ParseOptional<T>(string field, string? value, ValidationErrors errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (Taxonomy.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }
        errors.Add(field, $"Unknown {field} '{value}'. Allowed: {Taxonomy.AllowedValues<T>()}.");
        return null;
    }

    private static async Task<Results<Ok<VendorDetails>, ProblemHttpResult>> GetAsync(Guid id, VendorService vendors, CancellationToken ct) =>
        await vendors.GetAsync(id, ct) is { } v
            ? TypedResults.Ok(v)
            : OutcomeResults.NotFound($"Vendor {id} does not exist.");

    private static async Task<Results<Created<VendorDetails>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        VendorInput input, VendorService vendors, CancellationToken ct)
        => (await vendors.CreateAsync(input, ct)).ToCreated(v => $"/api/vendors/{v.Id}");

    private static async Task<Results<Ok<VendorDetails>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, VendorInput input, VendorService vendors, CancellationToken ct) => (await vendors.UpdateAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<VendorDetails>, ValidationProblem, ProblemHttpResult>> ArchiveAsync(
        Guid id, bool archived, VendorService vendors, CancellationToken ct) => (await vendors.SetArchivedAsync(id, archived, ct)).ToHttp();

    private static async Task<Results<Ok<VendorDetails>, ValidationProblem, ProblemHttpResult>> AddServiceAsync(
        Guid id, ServiceInput input, VendorService vendors, CancellationToken ct) => (await vendors.AddServiceAsync(id, input, ct)).ToHttp();

    private static async Task<Results<Ok<VendorDetails>, ValidationProblem, ProblemHttpResult>> UpdateServiceAsync(
        Guid id, Guid serviceId, ServiceInput input, VendorService vendors, CancellationToken ct) => (await vendors.UpdateServiceAsync(id, serviceId, input, ct)).ToHttp();

    private static async Task<Results<Ok<VendorDetails>, ValidationProblem, ProblemHttpResult>> RemoveServiceAsync(
        Guid id, Guid serviceId, VendorService vendors, CancellationToken ct) => (await vendors.RemoveServiceAsync(id, serviceId, ct)).ToHttp();

    private static async Task<IResult> ExportAsync(VendorTransfer transfer, CancellationToken ct, string format = "csv", bool includeArchived = false,
        string? status = null, string? risk = null)
    {
        var errors = new ValidationErrors();
        var query = new VendorQuery { IncludeArchived = includeArchived, Status = ParseOptional<VendorStatus>("status", status, errors), Risk = ParseOptional<RiskTier>("risk", risk, errors) };
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var rows = await transfer.ExportRowsAsync(query, ct);
        var ms = new MemoryStream();
        switch (format.ToLowerInvariant())
        {
            case "csv":
                VendorTable.WriteCsv(ms, VendorTransfer.Columns, rows);
                ms.Position = 0;
                return TypedResults.File(ms, "text/csv; charset=utf-8", "vendors.csv");
            case "xlsx":
                VendorTable.WriteXlsx(ms, "Vendors", VendorTransfer.Columns, rows);
                ms.Position = 0;
                return TypedResults.File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "vendors.xlsx");
            default:
                return TypedResults.Problem(statusCode: 400, title: "Unknown export format", detail: $"Format '{format}' is not supported; use csv or xlsx.");
        }
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, VendorTransfer transfer, IOptions<ProvisoOptions> options, CancellationToken ct,
        string? mode = null, bool dryRun = false)
    {
        var errors = new ValidationErrors();
        var importMode = ParseOptional<ImportMode>("mode", mode, errors) ?? ImportMode.AllOrNothing;
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var limits = options.Value.Import;
        if (request.ContentLength > limits.MaxUploadBytes + 64 * 1024)
        {
            return TooLarge(limits.MaxUploadBytes);
        }
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: 415, title: "Expected a file upload", detail: "Send the file as multipart/form-data in a field named 'file'.");
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = limits.MaxUploadBytes }, ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return TooLarge(limits.MaxUploadBytes);
        }
        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null || file.Length == 0)
        {
            return TypedResults.Problem(statusCode: 400, title: "No file", detail: "Attach a non-empty CSV or .xlsx file in a field named 'file'.");
        }
        if (file.Length > limits.MaxUploadBytes)
        {
            return TooLarge(limits.MaxUploadBytes);
        }
        var format = VendorTable.FormatFromFileName(file.FileName);
        if (format is null)
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported file type", detail: $"'{Path.GetFileName(file.FileName)}' is neither .csv nor .xlsx.");
        }
        await using var stream = file.OpenReadStream();
        var report = await ImportFileAsync(transfer, stream, format.Value, importMode, dryRun, limits.MaxRows, ct);
        return report.HasErrors && !report.Committed
            ? TypedResults.UnprocessableEntity(report)
            : TypedResults.Ok(report);
    }

    /// <summary>Shared by the API, the UI and the CLI: a file that cannot be read becomes a file-level error in the report.</summary>
    public static async Task<ImportReport> ImportFileAsync(VendorTransfer transfer, Stream stream, TableFormat format, ImportMode mode, bool dryRun, int maxRows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        TableFile table;
        try
        {
            table = VendorTable.Read(stream, format, maxRows);
        }
        catch (TableFormatException ex)
        {
            return ImportReport.FileError(mode, dryRun, ex.Message);
        }
        return await transfer.ImportAsync(table, mode, dryRun, ct);
    }

    private static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: 413, title: "File too large", detail: $"Import files are limited to {limit / 1024 / 1024} MB.");
}
