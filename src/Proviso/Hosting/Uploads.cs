using Microsoft.AspNetCore.Http.Features;

namespace Proviso.Hosting;

/// <summary>One file read from a multipart form, with the form's other fields.</summary>
public sealed record Upload(string FileName, byte[] Content, IFormCollection Form)
{
    public string? Field(string name) => Form.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrWhiteSpace(v[0]) ? v[0] : null;
}

/// <summary>Reads a single-file multipart upload with a size limit, answering 413/415/400 problems the same way everywhere.</summary>
public static class Uploads
{
    public static async Task<(Upload? Upload, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, string what, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes + 64 * 1024)
        {
            return (null, TooLarge(maxBytes, what));
        }
        if (!request.HasFormContentType)
        {
            return (null, TypedResults.Problem(statusCode: 415, title: "Expected a file upload", detail: $"Send the {what} as multipart/form-data in a field named 'file'."));
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxBytes }, ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, TooLarge(maxBytes, what));
        }
        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null)
        {
            return (null, TypedResults.Problem(statusCode: 400, title: "No file", detail: $"Attach the {what} in a field named 'file'."));
        }
        using var ms = new MemoryStream();
        await file.CopyToAsync(ms, ct);
        return (new Upload(file.FileName, ms.ToArray(), form), null);
    }

    public static IResult TooLarge(long maxBytes, string what) => TypedResults.Problem(statusCode: 413, title: "File too large",
        detail: $"The {what} is larger than the limit of {maxBytes / 1024 / 1024} MB; nothing was stored.");
}
