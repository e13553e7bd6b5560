namespace Proviso.Privacy.Tests;

/// <summary>A value found once is masked wherever else it appears, even where nothing around it gives it away.</summary>
public class RepeatTests
{
    private static readonly PiiDetector Detector = new();

    private static string[] Texts(string text, IEnumerable<Finding> findings) => [.. findings.Select(f => f.TextIn(text))];

    [Fact]
    public void NameRevealedByACue_IsFoundAgainWhereNothingSaysSo()
    {
        var text = "My kid Mali has a fever today. Mali will stay home, and Mali's teacher knows.";
        var found = Detector.Detect(text);
        Assert.Equal(["Mali", "Mali", "Mali"], Texts(text, found));
        Assert.All(found.Skip(1), f => Assert.EndsWith("/repeat", f.Rule, StringComparison.Ordinal));
        Assert.Equal(found[0].Score, found[1].Score);
    }

    [Fact]
    public void TheWordsOfAFullName_NameThePersonAlone_UnlessTheyAreCommonWords()
    {
        var text = "Dear Wei O'Brien and Will Turner, thanks. Wei said Turner agreed. Will you come? The Brien family may.";
        var found = Detector.Detect(text);
        Assert.Contains(found, f => f.TextIn(text) == "Wei" && f.Rule.EndsWith("/repeat", StringComparison.Ordinal));
        Assert.Contains(found, f => f.TextIn(text) == "Turner");
        // "Will" is a verb as often as a name: never repeated alone.
        Assert.DoesNotContain(found, f => f.TextIn(text) == "Will");
    }

    [Fact]
    public void RepeatValuesOff_FindsOnlyWhatTheRulesSee()
    {
        var text = "My kid Sumaya has a fever today. Sumaya will stay home.";
        var off = new PiiDetector(new DetectorOptions { RepeatValues = false });
        Assert.False(off.RepeatValues);
        Assert.Equal(Detector.Detect(text).Where(f => !f.Rule.EndsWith("/repeat", StringComparison.Ordinal)), off.Detect(text));
    }

    [Fact]
    public void AWordOnlyALexiconCalledAName_IsNotRepeated()
    {
        // "Ship" opening a line is scored a name just over the line (a lexicon lists it): in a long text every other
        // "Ship" would follow it. Only names found by a cue, a title, a full name or a field are repeated.
        var text = "The assistant drafted a reply, but the account manager rewrote most of it to match the customer's tone. \n"
            + "Ship the replacement to 5084 Maple Street today. Ship the parts as well, and Ship the manual.";
        var found = Detector.Detect(text);
        Assert.Contains(found, f => f.Type == Entities.Person && f.Rule == "person/single-name" && f.TextIn(text) == "Ship");
        Assert.DoesNotContain(found, f => f.Rule.EndsWith("/repeat", StringComparison.Ordinal));
        Assert.Equal(new PiiDetector(new DetectorOptions { RepeatValues = false }).Detect(text), found);

        var known = new KnownValues();
        known.Add(text, found);
        Assert.DoesNotContain(known.Values, v => v.Value == "Ship");
    }

    [Fact]
    public void SecretFoundAfterItsKeyword_IsFoundAgainAlone()
    {
        var text = "Password: Zq8!rT4vLm2#pX9w, and later I pasted Zq8!rT4vLm2#pX9w into the chat.";
        var found = Detector.Detect(text);
        Assert.Equal(2, found.Count(f => f.Type == Entities.Secret && f.TextIn(text) == "Zq8!rT4vLm2#pX9w"));
    }

    [Fact]
    public void ContextGatedNumber_IsFoundAgain_ButOnlyAsAWholeNumber()
    {
        var text = "MRN 00483921 admitted. Discharge note for 00483921 follows; invoice 1004839215 is unrelated.";
        var found = Detector.Detect(text);
        Assert.Equal(2, found.Count(f => f.Type == Entities.MedicalRecordNumber));
        Assert.DoesNotContain(found, f => f.TextIn(text).Contains("1004839215", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeats_AreWholeWords_AndExactCase()
    {
        var text = "My daughter Ann is five. Annual checkups matter; ANN and ann are other spellings.";
        var found = Detector.Detect(text);
        Assert.Equal(["Ann"], Texts(text, found));
    }

    [Fact]
    public void ManyValues_ShareOnePass_AndTheLongestWins()
    {
        // More than a handful of cued values takes the one-pass search; "Anna Berg" must not be cut to "Anna".
        var names = new[] { "Mali", "Arne", "Sumaya", "Jakobine", "Tove", "Ilse" };
        var cued = string.Join(" ", names.Select(n => $"My kid {n} is here."));
        var text = cued + " Dear Anna Berg, thanks. " + string.Join(", ", names) + " and Anna Berg went home; Anna stayed.";
        var found = Detector.Detect(text);
        var repeats = found.Where(f => f.Start > text.IndexOf("thanks", StringComparison.Ordinal)).Select(f => f.TextIn(text)).ToList();
        foreach (var n in names)
        {
            Assert.Contains(n, repeats);
        }
        Assert.Contains("Anna Berg", repeats);
        Assert.Equal(found.OrderBy(f => f.Start), found);
    }

    [Fact]
    public void KnownValues_FromOneText_AreFoundInAnother()
    {
        var first = "My son Mali needs his password reset; the password is Zq8!rT4vLm2#pX9w.";
        var known = new KnownValues();
        known.Add(first, Detector.Detect(first));
        Assert.Contains(known.Values, k => k.Value == "Mali" && k.Type == Entities.Person);

        var second = "Mali says the old one, Zq8!rT4vLm2#pX9w, still works. Email mali@example.com.";
        var found = Detector.Detect(second);
        Assert.DoesNotContain(found, f => f.TextIn(second) == "Mali");
        var added = known.FindIn(second, found);
        Assert.Equal(2, added);
        Assert.Contains(found, f => f.TextIn(second) == "Mali" && f.Type == Entities.Person);
        Assert.Contains(found, f => f.TextIn(second) == "Zq8!rT4vLm2#pX9w" && f.Type == Entities.Secret);
        // Existing findings are kept and never overlapped ("mali" inside the e-mail stays part of the e-mail).
        Assert.Single(found, f => f.Type == Entities.Email);
        for (var i = 1; i < found.Count; i++)
        {
            Assert.True(found[i].Start >= found[i - 1].End);
        }
        Assert.Equal(0, known.FindIn(second, found));
    }

    [Fact]
    public void KnownValues_SkipShortValues_Duplicates_AndTypesFoundAnywhere()
    {
        var text = "Al met Al. Call 415-555-2671 or 415-555-2671, mail al@example.com.";
        var known = new KnownValues();
        known.Add(text, [new Finding(Entities.Person, 0, 2, 0.8, "t"), new Finding(Entities.Phone, 16, 28, 0.9, "p"), new Finding(Entities.Phone, 32, 44, 0.9, "p"), new Finding(Entities.Email, 51, 65, 0.95, "e")]);
        Assert.Equal(["415-555-2671"], known.Values.Select(v => v.Value));
    }

    [Fact]
    public void KnownValues_ManyAtOnce_AreFoundInOnePass()
    {
        var names = new[] { "Mali", "Arne", "Sumaya", "Jakobine", "Tove", "Ilse", "Anna Berg", "Anna" };
        var known = new KnownValues();
        var source = string.Join(" ", names);
        var offset = 0;
        var findings = new List<Finding>();
        foreach (var n in names)
        {
            findings.Add(new Finding(Entities.Person, offset, offset + n.Length, 0.8, "person/context"));
            offset += n.Length + 1;
        }
        known.Add(source, findings);
        // Each name, and "Berg" alone: a word of a full name still names the person.
        Assert.Equal(names.Length + 1, known.Count);
        Assert.Contains(known.Values, v => v.Value == "Berg");

        var text = "Tove, Anna Berg and Ilse came; Annabel and Malia did not. Anna waved.";
        var found = new List<Finding>();
        Assert.Equal(4, known.FindIn(text, found));
        Assert.Equal(["Tove", "Anna Berg", "Ilse", "Anna"], found.Select(f => f.TextIn(text)));
        Assert.All(found, f => Assert.Equal("person/context/repeat", f.Rule));
    }
}
