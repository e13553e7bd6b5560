using Proviso.Privacy.Operators;

namespace Proviso.Privacy.Tests;

public class OperatorTests
{
    private static readonly PiiDetector Detector = new();
    private const string Text = "Card 4111 1111 1111 1111 of Margaret Thompson, mail margaret@example.com, IBAN DE89 3704 0044 0532 0130 00, SSN 536-22-8726.";

    private static (Anonymizer Anonymizer, AnonymizedText Result) Run(OperatorKind kind, string scope = "s1")
    {
        var anonymizer = new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault());
        return (anonymizer, anonymizer.Anonymize(Text, Detector.Detect(Text), new OperatorConfig { Kind = kind }, scope: scope));
    }

    [Fact]
    public void Replace_UsesTypeTags_AndRedactRemoves()
    {
        Assert.Equal("Card <CREDIT_CARD> of <PERSON>, mail <EMAIL_ADDRESS>, IBAN <IBAN_CODE>, SSN <US_SSN>.", Run(OperatorKind.Replace).Result.Text);
        Assert.Equal("Card  of , mail , IBAN , SSN .", Run(OperatorKind.Redact).Result.Text);
    }

    [Fact]
    public void Replace_PositionsPointAtTheTags_InOrAnyOrder_AndOverlapsAreRefused()
    {
        var anonymizer = new Anonymizer(AnonymizerKeys.Random());
        var replace = new OperatorConfig { Kind = OperatorKind.Replace };
        foreach (var text in new[] { Text, "Margaret Thompson", "x", "Call 415-555-2671.", "" })
        {
            var findings = Detector.Detect(text);
            var result = anonymizer.Anonymize(text, findings, replace);
            Assert.Equal(findings.Count, result.Replacements.Count);
            Assert.All(result.Replacements, r => Assert.Equal($"<{r.Type}>", result.Text[r.Start..r.End]));
            Assert.Equal(result.Text, anonymizer.Anonymize(text, findings.AsEnumerable().Reverse().ToArray(), replace).Text);
            if (findings.Count == 0)
            {
                Assert.Same(text, result.Text); // nothing found: the text itself
            }
        }
        var overlapping = new[] { new Finding("A", 0, 5, 1, "r"), new Finding("B", 3, 8, 1, "r") };
        Assert.Throws<ArgumentException>(() => anonymizer.Anonymize(Text, overlapping, replace));
        Assert.Throws<ArgumentException>(() => anonymizer.Anonymize("short", [new Finding("A", 2, 9, 1, "r")], replace));
    }

    [Fact]
    public void Mask_KeepsTheLastFourAndTheSeparators()
    {
        var result = Run(OperatorKind.Mask).Result.Text;
        Assert.Contains("**** **** **** 1111", result);
        Assert.Contains("***-**-8726", result);
    }

    [Fact]
    public void Hash_IsKeyedAndDeterministic()
    {
        var keys = AnonymizerKeys.Random();
        var a = new Anonymizer(keys).Apply(new OperatorConfig { Kind = OperatorKind.Hash }, "EMAIL_ADDRESS", "x@example.com");
        var b = new Anonymizer(keys).Apply(new OperatorConfig { Kind = OperatorKind.Hash }, "EMAIL_ADDRESS", "x@example.com");
        var other = new Anonymizer(AnonymizerKeys.Random()).Apply(new OperatorConfig { Kind = OperatorKind.Hash }, "EMAIL_ADDRESS", "x@example.com");
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.Equal(64, a.Length);
    }

    [Fact]
    public void Encrypt_RoundTripsWithTheKey()
    {
        var anonymizer = new Anonymizer(AnonymizerKeys.Random());
        var sealedValue = anonymizer.Apply(new OperatorConfig { Kind = OperatorKind.Encrypt }, "US_SSN", "536-22-8726");
        Assert.StartsWith("enc:", sealedValue);
        Assert.Equal("536-22-8726", anonymizer.Decrypt(sealedValue));
    }

    [Fact]
    public void Surrogates_KeepFormatAndCheckDigits_AreConsistent_AndRestore()
    {
        var (anonymizer, result) = Run(OperatorKind.Surrogate);
        var again = anonymizer.Anonymize(Text, Detector.Detect(Text), new OperatorConfig { Kind = OperatorKind.Surrogate }, scope: "s1");
        Assert.Equal(result.Text, again.Text);
        var redetected = Detector.Detect(result.Text);
        foreach (var type in new[] { Entities.CreditCard, Entities.Iban, Entities.UsSsn, Entities.Email, Entities.Person })
        {
            Assert.Contains(redetected, f => f.Type == type);
        }
        Assert.DoesNotContain("4111 1111 1111 1111", result.Text);
        Assert.Equal(Text, anonymizer.Deanonymize(result.Text, "s1"));
    }

    [Fact]
    public void Tokens_AreNumberedPerType_AndRestoreOnlyInTheirScope()
    {
        var (anonymizer, result) = Run(OperatorKind.Token, "conversation-7");
        Assert.Contains("<PERSON_1>", result.Text);
        var reply = $"Thanks, I updated {result.Text[result.Text.IndexOf("<PERSON_1>", StringComparison.Ordinal)..][..10]}'s record.";
        Assert.Equal("Thanks, I updated Margaret Thompson's record.", anonymizer.Deanonymize(reply, "conversation-7"));
        Assert.Equal(reply, anonymizer.Deanonymize(reply, "another-conversation"));
    }

    [Fact]
    public void Vault_ExpiresScopesAfterTheirTtl()
    {
        var clock = new ManualClock();
        var vault = new InMemoryVault(ttl: TimeSpan.FromMinutes(5), time: clock);
        var token = vault.GetOrAdd("s", "PERSON", "Ann", n => $"<PERSON_{n}>");
        Assert.True(vault.TryResolve("s", token, out var original));
        Assert.Equal("Ann", original);
        clock.Now += TimeSpan.FromMinutes(6);
        Assert.False(vault.TryResolve("s", token, out _));
    }

    [Fact]
    public void Vault_SweepsAbandonedScopes_OnAnInterval_NotOnEveryNewScope()
    {
        var clock = new ManualClock();
        var vault = new InMemoryVault(ttl: TimeSpan.FromMinutes(5), time: clock);
        for (var i = 0; i < 3000; i++)
        {
            vault.GetOrAdd($"call-{i}", "PERSON", "Ann", n => $"<PERSON_{n}>");
        }
        Assert.Equal(3000, vault.ScopeCount); // live scopes are kept
        clock.Now += TimeSpan.FromMinutes(6);
        vault.GetOrAdd("after-expiry", "PERSON", "Ann", n => $"<PERSON_{n}>");
        Assert.Equal(1, vault.ScopeCount); // the expired ones went in one sweep
        vault.Drop("after-expiry");
        Assert.Equal(0, vault.ScopeCount);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Deanonymize_RestoresALargeTextOverALargeScope_AndLeavesUnknownLookalikes()
    {
        // Thousands of pseudonyms in one scope and a long answer take the indexed path; the result must equal the original.
        var anonymizer = new Anonymizer(AnonymizerKeys.Random(), new InMemoryVault());
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"Mail user{i}@example.com or user{(i * 7) % 3000}@example.com today. "));
        var masked = anonymizer.Anonymize(text, Detector.Detect(text), new OperatorConfig { Kind = OperatorKind.Token }, scope: "big");
        Assert.DoesNotContain("@example.com", masked.Text);
        Assert.Equal(text, anonymizer.Deanonymize(masked.Text, "big"));
        var withStranger = masked.Text + " <EMAIL_ADDRESS_999999> <EMAIL_ADDRESS_1";
        Assert.EndsWith(" <EMAIL_ADDRESS_999999> <EMAIL_ADDRESS_1", anonymizer.Deanonymize(withStranger, "big"), StringComparison.Ordinal);

        // A value pseudonymized after that restores too: the search index made for the scope's earlier pseudonyms is not reused.
        const string late = "Late one: newcomer@example.org.";
        var lateMasked = anonymizer.Anonymize(late, Detector.Detect(late), new OperatorConfig { Kind = OperatorKind.Token }, scope: "big");
        Assert.DoesNotContain("newcomer", lateMasked.Text, StringComparison.Ordinal);
        Assert.Equal(text + late, anonymizer.Deanonymize(masked.Text + lateMasked.Text, "big"));
        // And another scope on the same anonymizer gets its own.
        var other = anonymizer.Anonymize(text, Detector.Detect(text), new OperatorConfig { Kind = OperatorKind.Token }, scope: "big-2");
        Assert.Equal(text, anonymizer.Deanonymize(other.Text, "big-2"));
        Assert.Equal(text + late, anonymizer.Deanonymize(masked.Text + lateMasked.Text, "big"));
    }
}
