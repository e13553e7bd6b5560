using System.Text;
using Proviso.Ledger.Records;

namespace Proviso.Ledger.Tests;

/// <summary>The direct writer of a record's canonical form against the general path (serialize, then canonicalize).</summary>
public class CanonicalRecordTests
{
    private const string Alphabet = "abcXYZ019 _-.:@/\"\\\b\f\n\r\t\u0001\u001f\u007fé日本€\u2028<>&'";

    private static string Text(Random random)
    {
        var sb = new StringBuilder();
        var length = random.Next(0, 24);
        for (var i = 0; i < length; i++)
        {
            switch (random.Next(400))
            {
                case < 10:
                    sb.Append("🚀"); // a whole surrogate pair
                    break;
                case 10:
                    sb.Append(random.Next(2) == 0 ? '\uD83D' : '\uDE80'); // half of one
                    break;
                default:
                    sb.Append(Alphabet[random.Next(Alphabet.Length)]);
                    break;
            }
        }
        return sb.ToString();
    }

    private static object? Value(Random random, int depth) => random.Next(depth > 2 ? 7 : 9) switch
    {
        0 => null,
        1 => Text(random),
        2 => random.Next(2) == 0,
        3 => random.Next(int.MinValue, int.MaxValue),
        4 => random.NextInt64(-9007199254740991, 9007199254740991),
        5 => random.Next(10) == 0 ? long.MaxValue : 12L,
        6 => random.Next(10) == 0 ? 1.5 : (object)"plain",
        _ => Map(random, depth + 1),
    };

    private static Dictionary<string, object?> Map(Random random, int depth)
    {
        var map = new Dictionary<string, object?>();
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            map[Text(random)] = Value(random, depth);
        }
        return map;
    }

    private static DateTimeOffset Time(Random random)
    {
        var ticks = random.NextInt64(new DateTime(1970, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks);
        var unit = random.Next(4) switch { 0 => TimeSpan.TicksPerSecond, 1 => TimeSpan.TicksPerMillisecond, 2 => 10L, _ => 1L };
        return new DateTimeOffset(ticks / unit * unit, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(3) == 0 ? 0 : 90));
    }

    private static LedgerRecord Record(Random random) => new()
    {
        Action = Text(random),
        Actor = Text(random),
        Time = Time(random),
        SubjectType = random.Next(3) == 0 ? null : Text(random),
        SubjectId = random.Next(3) == 0 ? null : Text(random),
        Vendor = random.Next(3) == 0 ? null : Text(random),
        Details = random.Next(4) == 0 ? null : Map(random, 0),
    };

    [Fact]
    public void TheDirectWriter_GivesTheGeneralPathsBytes_OrStepsAside()
    {
        var random = new Random(20261125);
        var direct = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var record = Record(random);
            byte[]? expected;
            try
            {
                expected = record.ToCanonicalJsonBySerializing();
            }
            catch (System.Text.Json.JsonException)
            {
                expected = null; // out-of-range numbers, fractions: the general path refuses
            }
            var written = CanonicalJson.TryWriteRecord(record);
            if (written is not null)
            {
                direct++;
                Assert.True(expected is not null, $"record {i}: the direct writer accepted what the general path refuses");
                Assert.Equal(Encoding.UTF8.GetString(expected!), Encoding.UTF8.GetString(written));
                Assert.Equal(expected, written);
            }
            if (expected is null)
            {
                Assert.ThrowsAny<System.Text.Json.JsonException>(() => record.ToCanonicalJson());
            }
            else
            {
                Assert.Equal(expected, record.ToCanonicalJson());
            }
        }
        // Thousands take the direct path; the rest hold, somewhere among their many values, half a surrogate pair, a fraction
        // or an out-of-range number, and check that the general path is used for them.
        Assert.InRange(direct, 2_000, 20_000);
    }

    [Fact]
    public void AGatewayCallRecord_TakesTheDirectPath()
    {
        var record = new LedgerRecord
        {
            Action = "gateway.call", Actor = "app:demo-app", Time = DateTimeOffset.Parse("2026-11-24T23:47:09.7700000+01:00", System.Globalization.CultureInfo.InvariantCulture),
            SubjectType = "gateway-application", SubjectId = Guid.Empty.ToString(), Vendor = "Demo LLM",
            Details = new Dictionary<string, object?> { ["requestBytes"] = 1534, ["region"] = null, ["entities"] = new Dictionary<string, object?> { ["PERSON"] = 2 } },
        };
        var written = CanonicalJson.TryWriteRecord(record);
        Assert.NotNull(written);
        Assert.Equal(
            "{\"action\":\"gateway.call\",\"actor\":\"app:demo-app\",\"details\":{\"entities\":{\"PERSON\":2},\"region\":null,\"requestBytes\":1534},"
            + "\"subjectId\":\"00000000-0000-0000-0000-000000000000\",\"subjectType\":\"gateway-application\",\"time\":\"2026-11-24T22:47:09.77+00:00\",\"vendor\":\"Demo LLM\"}",
            Encoding.UTF8.GetString(written!));
    }
}
