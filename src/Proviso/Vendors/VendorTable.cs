using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Proviso.Vendors;

/// <summary>A table read from a CSV or Excel file: a header and data rows with their line numbers.</summary>
public sealed record TableFile(IReadOnlyList<string> Header, IReadOnlyList<TableRow> Rows);

/// <summary>A data row; <see cref="Line"/> is the line (CSV) or row number (Excel) a person sees in their editor.</summary>
public sealed record TableRow(int Line, IReadOnlyList<string> Cells);

public sealed class TableFormatException(string message) : Exception(message);

public enum TableFormat
{
    Csv,
    Xlsx,
}

/// <summary>Reads and writes the inventory's spreadsheet formats. Cells are plain text both ways.</summary>
public static class VendorTable
{
    /// <summary>Characters that make spreadsheet programs treat a cell as a formula (OWASP CSV injection).</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static TableFormat? FormatFromFileName(string? fileName) =>
        Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
        {
            ".csv" or ".txt" => TableFormat.Csv,
            ".xlsx" => TableFormat.Xlsx,
            _ => null,
        };

    /// <summary>Prefixes a quote to a cell a spreadsheet would otherwise run as a formula.</summary>
    public static string Neutralize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        return Array.IndexOf(FormulaStarts, value[0]) >= 0 ? "'" + value : value;
    }

    /// <summary>Undoes <see cref="Neutralize"/> so an exported file imports back unchanged.</summary>
    public static string Unneutralize(string value) =>
        value.Length > 1 && value[0] == '\'' && Array.IndexOf(FormulaStarts, value[1]) >= 0 ? value[1..] : value;

    public static TableFile Read(Stream stream, TableFormat format, int maxRows) => format switch
    {
        TableFormat.Xlsx => ReadXlsx(stream, maxRows),
        _ => ReadCsv(stream, maxRows),
    };

    public static TableFile ReadCsv(Stream stream, int maxRows)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
        };
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, config);
        string[]? header = null;
        var rows = new List<TableRow>();
        try
        {
            while (csv.Read())
            {
                var record = csv.Record ?? [];
                if (record.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (header is null)
                {
                    header = record;
                    continue;
                }
                if (rows.Count >= maxRows)
                {
                    throw new TableFormatException($"The file has more than {maxRows:N0} data rows; split it into smaller files.");
                }
                rows.Add(new TableRow(csv.RawRow, record.Select(Unneutralize).ToArray()));
            }
        }
        catch (DecoderFallbackException)
        {
            throw new TableFormatException("The file is not valid UTF-8 text. Save it as 'CSV UTF-8' and try again.");
        }
        catch (CsvHelperException ex)
        {
            throw new TableFormatException($"The CSV could not be parsed near line {csv.RawRow}: {ex.GetType().Name}.");
        }
        return header is null ? throw new TableFormatException("The file is empty: expected a header row and at least one data row.") : new TableFile(header, rows);
    }

    public static TableFile ReadXlsx(Stream stream, int maxRows)
    {
        var buffered = Buffer(stream);
        SpreadsheetDocument doc;
        try
        {
            doc = SpreadsheetDocument.Open(buffered, false, new OpenSettings { MaxCharactersInPart = 64L * 1024 * 1024 });
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException)
        {
            throw new TableFormatException("The file is not a valid Excel workbook (.xlsx).");
        }
        using (doc)
        {
            var workbook = doc.WorkbookPart ?? throw new TableFormatException("The workbook has no sheets.");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()
                ?? throw new TableFormatException("The workbook has no sheets.");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            string[]? header = null;
            var rows = new List<TableRow>();
            try
            {
                foreach (var row in part.Worksheet.Descendants<Row>())
                {
                    var cells = new List<string>();
                    foreach (var cell in row.Elements<Cell>())
                    {
                        var index = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                        while (cells.Count < index)
                        {
                            cells.Add("");
                        }
                        cells.Add(CellText(cell, shared));
                    }
                    if (cells.All(string.IsNullOrWhiteSpace))
                    {
                        continue;
                    }
                    if (header is null)
                    {
                        header = [.. cells];
                        continue;
                    }
                    if (rows.Count >= maxRows)
                    {
                        throw new TableFormatException($"The workbook has more than {maxRows:N0} data rows; split it into smaller files.");
                    }
                    rows.Add(new TableRow((int)(row.RowIndex?.Value ?? (uint)(rows.Count + 2)), cells.Select(Unneutralize).ToArray()));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Xml.XmlException or OpenXmlPackageException)
            {
                throw new TableFormatException("The workbook's sheet could not be read; it may be damaged or too large.");
            }
            return header is null ? throw new TableFormatException("The first sheet is empty: expected a header row and at least one data row.") : new TableFile(header, rows);
        }
    }

    public static void WriteCsv(Stream stream, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(true), leaveOpen: true);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var h in header)
        {
            csv.WriteField(h);
        }
        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(Neutralize(cell));
            }
            csv.NextRecord();
        }
    }

    public static void WriteXlsx(Stream stream, string sheetName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        sheetPart.Worksheet = new Worksheet(data);
        data.Append(TextRow(1, header));
        uint r = 2;
        foreach (var row in rows)
        {
            data.Append(TextRow(r++, row.Select(Neutralize).ToArray()));
        }
        workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName }));
        workbook.Workbook.Save();
    }

    private static Row TextRow(uint index, IReadOnlyList<string> values)
    {
        var row = new Row { RowIndex = index };
        for (var i = 0; i < values.Count; i++)
        {
            // Inline strings: every cell is text, so nothing is ever evaluated as a formula or a number.
            row.Append(new Cell
            {
                CellReference = ColumnName(i) + index.ToString(CultureInfo.InvariantCulture),
                DataType = CellValues.InlineString,
                InlineString = new InlineString(new Text(values[i]) { Space = SpaceProcessingModeValues.Preserve }),
            });
        }
        return row;
    }

    private static string CellText(Cell cell, string[] shared)
    {
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }
        // A formula cell contributes its cached value only; formulas are never evaluated or imported.
        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Length ? shared[i] : "";
        }
        if (cell.DataType?.Value == CellValues.Boolean)
        {
            return raw == "1" ? "true" : "false";
        }
        return raw;
    }

    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }
        var index = 0;
        foreach (var ch in reference)
        {
            if (!char.IsAsciiLetter(ch))
            {
                break;
            }
            index = (index * 26) + (char.ToUpperInvariant(ch) - 'A' + 1);
            if (index > 16384)
            {
                return null;
            }
        }
        return index - 1;
    }

    private static string ColumnName(int index)
    {
        var name = "";
        index++;
        while (index > 0)
        {
            var rem = (index - 1) % 26;
            name = (char)('A' + rem) + name;
            index = (index - 1) / 26;
        }
        return name;
    }

    private static MemoryStream Buffer(Stream stream)
    {
        // The package reader needs a seekable stream; uploads are already size-limited.
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        ms.Position = 0;
        return ms;
    }
}
