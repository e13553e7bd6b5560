using System.Buffers;
using System.Text;
using System.Text.Json;
using Proviso.Privacy.Operators;
using Proviso.Privacy.Structured;

namespace Proviso.Privacy.Tests;

public class StructuredTests
{
    private static MaskingPipeline Pipeline() =>
        new(new PiiDetector(), new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault()), new OperatorConfig());

    private static string MaskJson(string json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Pipeline().MaskJson(Encoding.UTF8.GetBytes(json), buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Json_MasksStrings_KeepsStructureAndNonStringValuesExactly()
    {
        var output = MaskJson("""{"user":{"email":"anna@example.com","age":41,"score":1.50,"tags":["vip",null,true],"ssn":"536-22-8726"},"n":-0.0,"big":12345678901234567890}""");
        Assert.Equal("""{"user":{"email":"<EMAIL_ADDRESS>","age":41,"score":1.50,"tags":["vip",null,true],"ssn":"<US_SSN>"},"n":-0.0,"big":12345678901234567890}""", output);
    }

    [Fact]
    public void Json_FieldNameHints_CatchBareValues()
    {
        Assert.Contains("<US_SSN>", MaskJson("""{"ssn":"536228726"}"""));
        Assert.Contains("536228726", MaskJson("""{"invoice":"536228726"}"""));
    }

    [Fact]
    public void Json_ValuesFoundInOneField_AreMaskedInTheOthers()
    {
        // The "name" field says who Sumaya is; the nickname and the notes do not, but must not leak her either.
        var output = MaskJson("""{"customer":{"name":"Sumaya Okafor","nick":"Sumaya","ssn":"536228726"},"notes":["Sumaya called; her SSN 536228726 is on file.","Call back Tuesday."],"age":41}""");
        Assert.Equal("""{"customer":{"name":"<PERSON>","nick":"<PERSON>","ssn":"<US_SSN>"},"notes":["<PERSON> called; her SSN <US_SSN> is on file.","Call back Tuesday."],"age":41}""", output);
    }

    [Fact]
    public void Json_FieldsNamedLikeSecrets_AreMasked_AndTheirValuesElsewhereToo()
    {
        var output = MaskJson("""{"password":"hunter22","api_key":" Zq8rT4vLm2pX9wKd ","token_type":"bearer","note":"the old key Zq8rT4vLm2pX9wKd and hunter22 still work"}""");
        Assert.Equal("""{"password":"<SECRET>","api_key":" <SECRET> ","token_type":"bearer","note":"the old key <SECRET> and <SECRET> still work"}""", output);
    }

    [Fact]
    public async Task JsonLines_EachRecordsFields_ShareWhatWasFound_ButRecordsDoNot()
    {
        var sw = new StringWriter();
        const string second = "{\"text\":\"I spoke to sumaya and Okafor in our ops team.\"}";
        await Pipeline().MaskJsonLinesAsync(new StringReader("{\"name\":\"Sumaya Okafor\",\"text\":\"Sumaya wants a refund\"}\n" + second + "\n"), sw, null);
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("{\"name\":\"<PERSON>\",\"text\":\"<PERSON> wants a refund\"}", lines[0]);
        // Another record is another person's: what the first revealed is not carried over.
        var alone = new StringWriter();
        await Pipeline().MaskJsonLinesAsync(new StringReader(second + "\n"), alone, null);
        Assert.Equal(alone.ToString().TrimEnd('\n'), lines[1]);
    }

    [Fact]
    public void Json_Nested10000Deep_IsAClearError()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var ex = Assert.Throws<InputFormatException>(() => MaskJson(deep));
        Assert.Contains("deeper than", ex.Message);
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1,}")]
    [InlineData("")]
    public void Json_Malformed_IsAClearError(string json) =>
        Assert.Throws<InputFormatException>(() => MaskJson(json));

    [Fact]
    public async Task JsonLines_WithField_MasksOnlyThatField_AndNamesTheBadLine()
    {
        var input = "{\"id\":\"anna@example.com\",\"text\":\"write to anna@example.com\"}\n\n{\"text\":\"nothing here\"}\n";
        var sw = new StringWriter();
        await Pipeline().MaskJsonLinesAsync(new StringReader(input), sw, "text");
        var lines = sw.ToString().Split('\n');
        Assert.Equal("{\"id\":\"anna@example.com\",\"text\":\"write to <EMAIL_ADDRESS>\"}", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal("{\"text\":\"nothing here\"}", lines[2]);

        var ex = await Assert.ThrowsAsync<InputFormatException>(() => Pipeline().MaskJsonLinesAsync(new StringReader("{\"text\":\"a\"}\n{broken\n"), new StringWriter(), "text"));
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public async Task Csv_RaggedRows_AreMaskedAndCounted_AndColumnsClassified()
    {
        var rows = string.Join("\n", Enumerable.Range(0, 30).Select(i => $"Person {i},user{i}@example.com,{(i % 10 == 0 ? "extra,cells" : "ok")}"));
        var input = "name,contact,note\n" + rows + "\nshort\n";
        var sw = new StringWriter();
        var pipeline = Pipeline();
        await pipeline.MaskCsvAsync(new StringReader(input), sw);
        var text = sw.ToString();
        Assert.DoesNotContain("@example.com", text);
        Assert.Equal(4, pipeline.Report.RaggedRows);
        Assert.Equal(Entities.Email, pipeline.Report.ColumnTypes["contact"]);
        Assert.StartsWith("name,contact,note", text);
    }

    [Fact]
    public async Task Csv_ARowsCells_ShareWhatEachRevealed_ButRowsDoNot()
    {
        var input = "name,notes\nSumaya Okafor,Sumaya called about the refund\nArne Berg,Call back Tuesday\n,Sumaya is on leave\n";
        var sw = new StringWriter();
        await Pipeline().MaskCsvAsync(new StringReader(input), sw);
        static string[] Lines(StringWriter w) => [.. w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
        var lines = Lines(sw);
        Assert.Equal("<PERSON>,<PERSON> called about the refund", lines[1]);
        Assert.Equal("<PERSON>,Call back Tuesday", lines[2]);
        // The third row is another record: the first row's name is not carried over to it.
        var alone = new StringWriter();
        await Pipeline().MaskCsvAsync(new StringReader("name,notes\n,Sumaya is on leave\n"), alone);
        Assert.Equal(Lines(alone)[1], lines[3]);
    }

    [Fact]
    public async Task InvalidUtf8_IsRejected_NotPassedThrough()
    {
        var bytes = Encoding.UTF8.GetBytes("mail anna@example.com ").Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        using var reader = MaskingPipeline.StrictUtf8Reader(new MemoryStream(bytes));
        var output = new StringWriter();
        await Assert.ThrowsAsync<InputFormatException>(() => Pipeline().MaskTextAsync(reader, output));
        Assert.DoesNotContain("anna@example.com", output.ToString());
    }

    [Fact]
    public async Task NulBytesAndEmptyInput_HaveDocumentedOutcomes()
    {
        var sw = new StringWriter();
        await Pipeline().MaskTextAsync(new StringReader("a\0b anna@example.com\0"), sw);
        Assert.Equal("a\0b <EMAIL_ADDRESS>\0", sw.ToString());

        var empty = new StringWriter();
        await Pipeline().MaskTextAsync(new StringReader(""), empty);
        Assert.Equal("", empty.ToString());
    }

    [Fact]
    public async Task HundredMegabyteSingleLine_IsMaskedWhole()
    {
        var filler = new string('x', 50 * 1024 * 1024);
        var line = filler + " anna@example.com " + filler;
        var sw = new StringWriter();
        await Pipeline().MaskTextAsync(new StringReader(line), sw);
        var output = sw.ToString();
        Assert.DoesNotContain("anna@example.com", output);
        Assert.Contains("<EMAIL_ADDRESS>", output);
        Assert.True(output.Length > 100 * 1024 * 1024);
    }

    [Fact]
    public void FindingsJson_HasTheCliContractShape()
    {
        var text = "Contact john.smith@example.com";
        using var doc = JsonDocument.Parse(MaskingPipeline.FindingsJson(text, new PiiDetector().Detect(text)));
        var f = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("EMAIL_ADDRESS", f.GetProperty("type").GetString());
        Assert.Equal(8, f.GetProperty("start").GetInt32());
        Assert.Equal(30, f.GetProperty("end").GetInt32());
        Assert.Equal("john.smith@example.com", f.GetProperty("text").GetString());
        Assert.InRange(f.GetProperty("score").GetDouble(), 0.5, 1);
    }

    [Theory]
    [InlineData(OperatorKind.Replace)]
    [InlineData(OperatorKind.Token)]
    public async Task Text_masked_on_several_threads_is_identical_to_one_thread(OperatorKind kind)
    {
        var lines = Enumerable.Range(0, 6000).Select(i => i % 3 == 0
            ? $"Line {i}: write to person{i % 50}@example.com or call (415) 555-{2600 + (i % 50):D4} about card 4111 1111 1111 1111."
            : $"Line {i}: nothing personal here, just words about quarterly planning and roadmaps.");
        var text = string.Join('\n', lines) + "\n";
        Assert.True(text.Length > 8 * 32 * 1024); // many blocks
        async Task<(string Output, MaskReport Report)> Run(int threads)
        {
            var pipeline = new MaskingPipeline(new PiiDetector(), new Anonymizer(new AnonymizerKeys(new byte[32], new byte[32]), new InMemoryVault()),
                new OperatorConfig { Kind = kind }) { MaxParallelism = threads };
            var output = new StringWriter();
            await pipeline.MaskTextAsync(new StringReader(text), output);
            return (output.ToString(), pipeline.Report);
        }
        var one = await Run(1);
        var four = await Run(4);
        Assert.Equal(one.Output, four.Output);
        Assert.Equal(one.Report.Records, four.Report.Records);
        Assert.Equal(one.Report.Counts.OrderBy(c => c.Key), four.Report.Counts.OrderBy(c => c.Key));
        Assert.DoesNotContain("@example.com", four.Output);
        Assert.Equal(6000, four.Report.Records);
    }
}
