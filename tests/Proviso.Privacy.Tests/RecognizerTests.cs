namespace Proviso.Privacy.Tests;

public class RecognizerTests
{
    private static readonly PiiDetector Detector = new();

    public static TheoryData<string, string, string> Positives => new()
    {
        { Entities.Email, "Write to {0} today.", "anna.berg+ai@example.co.uk" },
        { Entities.Phone, "Call me on {0} tomorrow.", "+44 20 7946 0958" },
        { Entities.Phone, "My cell is {0}.", "(415) 555-2671" },
        { Entities.Phone, "Reach the desk at {0} any time.", "986.291.2294x751" },
        { Entities.Phone, "Can someone call me on {0}? I have questions.", "21 212 133 2727" }, // foreign layout, no country code: the context decides
        { Entities.Phone, "Refund for the account of {0} please.", "+44 20 7946 0958" }, // "account" turns only bare digits into an account number
        { Entities.CreditCard, "Charged to {0} yesterday.", "4111-1111-1111-1111" },
        { Entities.CreditCard, "Amex {0} on file.", "3782 822463 10005" },
        { Entities.Iban, "Pay into {0} please.", "GB82 WEST 1234 5698 7654 32" },
        { Entities.Iban, "IBAN {0}.", "NL91ABNA0417164300" },
        { Entities.UsSsn, "Her SSN is {0}.", "536-22-8726" },
        { Entities.UsItin, "ITIN {0} was issued.", "912-70-1234" },
        { Entities.UkNino, "NI number {0}.", "QQ 12 34 56 C".Replace("QQ", "AB", StringComparison.Ordinal) },
        { Entities.UkNhs, "NHS number {0}.", "943 476 5919" },
        { Entities.EsNif, "DNI {0} del cliente.", "12345678Z" },
        { Entities.EsNie, "NIE {0}.", "X1234567L" },
        { Entities.ItFiscalCode, "Codice fiscale {0}.", "RSSMRA85T10A562S" },
        { Entities.NlBsn, "BSN {0}.", "111222333" },
        { Entities.DeTaxId, "Steuer-ID {0}.", "65929970489" },
        { Entities.FrNir, "Numéro de sécurité sociale {0}.", "255081416802538" },
        { Entities.InAadhaar, "Aadhaar {0}.", "2341 2341 2346" },
        { Entities.InPan, "PAN {0}.", "ABCPE1234F" },
        { Entities.SgNricFin, "NRIC {0}.", "S1234567D" },
        { Entities.AuTfn, "My TFN is {0}.", "123456782" },
        { Entities.AbaRouting, "Routing number {0}.", "021000021" },
        { Entities.UsBankNumber, "Bank account {0}.", "00123456789" },
        { Entities.UsBankNumber, "He called: bank routing number 097473831, account {0}.", "5166982813" }, // ten digits after "account" are no phone, even near "called"
        { Entities.UsPassport, "Passport number {0}.", "C03005988" },
        { Entities.UsDriverLicense, "Driver license {0}.", "D1234567" },
        { Entities.MedicalRecordNumber, "MRN {0} admitted.", "00483921" },
        { Entities.DateOfBirth, "Born on {0} in Ohio.", "04/12/1986" },
        { Entities.IpAddress, "Login from {0}.", "203.0.113.42" },
        { Entities.IpAddress, "Host {0} answered.", "2001:db8:85a3::8a2e:370:7334" },
        { Entities.MacAddress, "Device {0} joined.", "3C:22:FB:7A:10:9E" },
        { Entities.Url, "See {0}.", "https://portal.example.com/u/42?x=1" },
        { Entities.StreetAddress, "Ship to {0} please.", "742 Evergreen Terrace, Springfield, OR 97477" },
        { Entities.StreetAddress, "Office: {0}.", "Hauptstraße 5, 10115 Berlin" },
        { Entities.StreetAddress, "Mail it to {0}.", "PO Box 1234" },
        { Entities.StreetAddress, "ZIP: {0}", "11164" },
        { Entities.StreetAddress, "thanks, {0} S1234567D.", "742 Evergreen Terrace" }, // an ID right after the street is not a directional
        { Entities.StreetAddress, "card 4111 1111 1111 1111 {0} ok", "742 Evergreen Terrace" }, // a card's last group is no building number
        { Entities.StreetAddress, "ZIP code {0} for the billing address.", "94105-1804" },
        { Entities.StreetAddress, "Our postcode is {0}.", "SW1A 1AA" },
        { Entities.StreetAddress, "PLZ {0}, bitte.", "10115" },
        { Entities.StreetAddress, "billing address: {0}\n\nthanks", "23 8 wressle road suite 771" }, // lower-case street, building number first
        { Entities.StreetAddress, "Please return to {0} in case of an issue.", "39 79 Argyll Road\nNoorderwijk\n, VAN\n Portugal 76970" }, // an address block over lines
        { Entities.StreetAddress, "Michael Urner\n\n{0}\n\nIceland", "11 Main Street\n Apt. 827\n Kaplice" },
        { Entities.StreetAddress, "How do I change my address to {0} for post mail?", "48 rue Descartes, Monte Gil, Canada" },
        { Entities.StreetAddress, "Shelby Araujo lives at {0}. She moved in May.", "87 Jakobi 69, Laane" }, // no street type: the cue decides
        { Entities.StreetAddress, "john had given shamhan his address: {0}", "46 velký průhon 426, opocnice" },
        { Entities.StreetAddress, "Frank had given Tyler his address: {0} (ΑΓΛΑΓΓΙΑ)", "03 Πλατεία Μαβίλη 170, ΑΓΛΑΝΤΖΙΑ" },
        { Entities.Crypto, "Send to {0}.", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2" },
        { Entities.Crypto, "Send to {0}.", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" },
        { Entities.Secret, "key {0} leaked", "AKIAIOSFODNN7EXAMPLE" },
        { Entities.Secret, "use {0} for CI", "ghp_16C7e42F292c6912E7710c838347Ae178B4a" },
        { Entities.Secret, "Slack {0}.", "xoxb-123456789012-abcdefghijkl" },
        { Entities.Secret, "Authorization: Bearer {0}", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" },
        { Entities.Secret, "api_key = {0}", "q8Zr2LmX7vNp4TkW9sYb1HcD" },
        { Entities.Person, "Yesterday {0} signed the contract.", "Margaret Thompson" },
        { Entities.Person, "Please ask Dr. {0} about it.", "Okonkwo" },
        { Entities.Person, "Please forward the contract to {0} (by mail).", "Wei O'Brien" }, // an apostrophe inside a name
        { Entities.Person, "Our contractor {0} uses the laptop.", "Jean-Luc Moreau" },
        { Entities.Person, "Kind regards,\n{0}\nHead of Support", "Michael Urner" }, // a signature line: given name + unknown surname
        { Entities.Person, "{0}\n11 Main Street\nSpringfield", "Ronald Pesälä" }, // an address block's first line
        { Entities.Person, "I would like to remove my kid {0} from the will.", "Mali" }, // unknown to every lexicon: the relation names it
        { Entities.Person, "As promised, here's {0}'s address:", "Arne" },
        { Entities.Person, "{0}, can I please speak to your boss?", "Jakobine" },
        { Entities.Person, "billing address: {0}\n    23 8 wressle road suite 771", "tracy sukhorukova" }, // the addressee above an address, in lower case
        { Entities.Person, "{0}\n\n11 main street\nspringfield", "kristin crnić" },
    };

    [Theory, MemberData(nameof(Positives))]
    public void Detects_TypeAndExactSpan(string type, string template, string value)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, value);
        var findings = Detector.Detect(text);
        var start = text.IndexOf(value, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Type == type && f.Start == start && f.End == start + value.Length);
    }

    public static TheoryData<string> Negatives => new()
    {
        "The meeting moved to Thursday and the budget grew by 12 percent.",
        "Order 4111-1111-1111-1112 failed the card check.", // Luhn fails
        "Reference 000-12-3456 is not an SSN (area 000).",
        "Version 1.2.3 shipped with build 20240101.",
        "IBAN DE89 3704 0044 0532 0130 01 has a wrong check.", // mod 97 fails
        "We will meet in Paris in May with the team.",
        "The total was 1,234.56 dollars over 3 months.",
        "Call the front desk and ask for the manager.",
        "The zipper 12345 model and the zip 123 archive were returned.", // not a label; too short
        "Pack 50000 units into the zipfile before noon.",
        "The tour goes from Poland to Texas and ends in France next spring.", // places, not people
        "Tiffany works at\nNera Economic Consulting\nin the city.", // a line opening with a given name is an organization when it ends like one
        "The list ran in Entertainment Weekly last year.",
        "The meeting is at 10 am tomorrow, and the review is at 3 PM.",
        "Sorry, can I ask again? However, I think the Council's address to staff went well.",
        "I ran 5 miles down the road and back.",
        "Invoice 21 212 133 2727 was paid in full.", // spaced digit groups without phone words are no phone
        "Our sales teams live in 2 regions now; prices return to 2023 levels.",
        "Kapelaniestraat is long. I walked 88 and then down Whittaker Street.",
    };

    [Theory, MemberData(nameof(Negatives))]
    public void Ignores_TextWithoutPersonalData(string text)
    {
        var findings = Detector.Detect(text);
        Assert.DoesNotContain(findings, f => f.Type != Entities.Person || f.Score >= 0.5);
    }

    [Theory]
    [InlineData(": device ab:cd:ef:01:23:45 went offline")]
    [InlineData("a: ab:cd:ef:01:23:45")]
    [InlineData("Router ab:cd:ef:01:23:45 at 10:30")]
    public void ALowerCaseMacStartingWithALetter_IsFound_WhereverTheTextsFirstColonIs(string text)
    {
        // Capitalized ones are found from their first word; lower-case ones from the colons. A colon among the text's first two
        // characters used to end that search before it began.
        var mac = Assert.Single(Detector.Detect(text), f => f.Type == Entities.MacAddress);
        Assert.Equal("ab:cd:ef:01:23:45", text[mac.Start..mac.End]);
    }

    [Fact]
    public void AnIbansDigitGroups_AreNotNumbersOfTheirOwn_AndWhatFollowsIsStillFound()
    {
        // The number scan validates the IBAN at its check digits and skips its groups; the address scan skips digits inside it.
        const string Text = "Wire it to IBAN DE89 3704 0044 0532 0130 00, then ship the box to 12 Main Street.";
        var findings = Detector.Detect(Text);
        Assert.Equal([Entities.Iban, Entities.StreetAddress], findings.Select(f => f.Type));
        Assert.Equal("DE89 3704 0044 0532 0130 00", Text[findings[0].Start..findings[0].End]);
        Assert.Equal("12 Main Street", Text[findings[1].Start..findings[1].End]);
    }

    [Fact]
    public void AtSignsAndColons_AreFound_WhereTheNumberScanJumpsOverThem()
    {
        // The number scan collects the '@' and ':' the e-mail, URL, IPv6 and MAC scanners start from, including those inside
        // stretches it skips (a MAC it matched whole, a token glued to digits, a number run).
        const string Text = "Device 00:1A:2B:3C:4D:5E, then write to ops42@example.com or open https://h.example.org:8443/x1 from 2001:db8::8a2e:370:7334 now.";
        var findings = Detector.Detect(Text);
        Assert.Equal(
            [(Entities.MacAddress, "00:1A:2B:3C:4D:5E"), (Entities.Email, "ops42@example.com"), (Entities.Url, "https://h.example.org:8443/x1"), (Entities.IpAddress, "2001:db8::8a2e:370:7334")],
            findings.Select(f => (f.Type, f.TextIn(Text))));
    }

    [Fact]
    public void Findings_DoNotDependOnWhatTheThreadsWordCacheHolds()
    {
        // Word flags are cached per thread (a small slot table in front of a dictionary): thousands of other capitalized words
        // colliding in every slot must not change what a text yields.
        const string Text = "Dear Margaret Thompson, Paris said Will Smith met my daughter Georgia at 12 Main Street in Springfield.";
        List<Finding>? fresh = null;
        var thread = new Thread(() => fresh = Detector.Detect(Text));
        thread.Start();
        thread.Join();
        var noise = string.Join(' ', Enumerable.Range(0, 5000).Select(i => "Q" + string.Concat(i.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => (char)('a' + d - '0')))));
        Detector.Detect(noise);
        Detector.Detect(string.Join(' ', Enumerable.Range(0, 300).Select(i => Text.Split(' ')[i % 17])));
        Assert.Equal(fresh, Detector.Detect(Text));
        Assert.Contains(fresh!, f => f.Type == Entities.Person && f.TextIn(Text) == "Margaret Thompson");
    }

    [Fact]
    public void AnInvalidIban_LeavesTheNumbersAfterItsCountryCodeToTheNumberScan()
    {
        // Same shape and offsets one after the other: the validated IBAN of the first text must not carry over to the second.
        var valid = Detector.Detect("Ref DE89 3704 0044 0532 0130 00 ok");
        Assert.Contains(valid, f => f.Type == Entities.Iban);
        const string Invalid = "Ref DE00 4111 1111 1111 1111 ok";
        var findings = Detector.Detect(Invalid);
        Assert.DoesNotContain(findings, f => f.Type == Entities.Iban);
        var card = Assert.Single(findings, f => f.Type == Entities.CreditCard);
        Assert.Equal("4111 1111 1111 1111", Invalid[card.Start..card.End]);
    }

    [Fact]
    public async Task WarmUp_RunsOnce_AndLeavesDetectionUnchanged()
    {
        const string Text = "Call Margaret Thompson on +44 20 7946 0958.";
        var before = Detector.Detect(Text);
        var first = PiiDetector.WarmUpAsync();
        Assert.Same(first, PiiDetector.WarmUpAsync());
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal(before, Detector.Detect(Text));
        Assert.Contains(before, f => f.Type == Entities.Phone);
    }

    [Fact]
    public void ALargeText_FindsWhatEachOfItsPartsHolds_WithoutOverlaps()
    {
        // Beyond 16K characters the coverage bit set is rented instead of stack-allocated: same answers, no overlaps.
        const string Part = "Call Margaret Thompson on (415) 555-2671 or write to margaret@example.com; card 4111 1111 1111 1111, 742 Evergreen Terrace, Springfield, OR 97477. ";
        var one = Detector.Detect(Part);
        var text = string.Concat(Enumerable.Repeat(Part, 3000));
        var all = Detector.Detect(text);
        Assert.Equal(one.Count * 3000, all.Count);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i].Start >= all[i - 1].End, $"findings {i - 1} and {i} overlap");
            var expected = one[i % one.Count];
            Assert.Equal((expected.Type, expected.Start + (i / one.Count * Part.Length)), (all[i].Type, all[i].Start));
        }
    }

    [Fact]
    public void AnAddressNextToAHugeLine_EndsAtItsOwnLine()
    {
        var huge = new string('x', 5_000_000);
        var text = huge + "\n12 Main Street\n" + huge + "\nSpringfield";
        var address = Assert.Single(Detector.Detect(text), f => f.Type == Entities.StreetAddress);
        Assert.Equal("12 Main Street", address.TextIn(text));
    }

    [Fact]
    public void LinesAboveAnAddress_AreNamesOnlyWhenTheyReadLikeOne()
    {
        const string Text = "Deliver to\n12 Main Street\n\nSales Team\n14 Main Street\n\nAcme Consulting\n16 Main Street";
        var findings = Detector.Detect(Text);
        Assert.Equal(3, findings.Count(f => f.Type == Entities.StreetAddress));
        Assert.DoesNotContain(findings, f => f.Type == Entities.Person);
    }

    [Theory]
    [InlineData("Ship the parcel to 40 Grace Hopper Avenue, Arlington, VA 22201 today.", "40 Grace Hopper Avenue, Arlington, VA 22201")]
    [InlineData("Deliver to 12 Jackson Street, Madison, WI 53703 please.", "12 Jackson Street, Madison, WI 53703")]
    [InlineData("Send it to 12 Main Street, Madison, WI 53703 or to PO Box 4417, Jackson, MS 39201 today.", "12 Main Street, Madison, WI 53703", "PO Box 4417, Jackson, MS 39201")]
    public void TheWordsOfAStreetLine_AreTheAddress_NotNamesOrIdentifiers(string text, params string[] addresses)
    {
        // The address scan runs first; the name and identifier scans skip the capitalized words on an address's line, whichever
        // kind of address it is (streets, PO boxes and labeled postcodes are reported by separate passes).
        Assert.Equal(addresses.Select(a => (Entities.StreetAddress, a)), Detector.Detect(text).Select(f => (f.Type, f.TextIn(text))));
    }

    [Theory]
    [InlineData("client_secret: q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("ACCESS_KEY=q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("private_key: \"q8Zr2LmX7vNp4TkW9sYb1HcD\"", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("the api-key is q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("apikey=q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("ssh_key: q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("signing-key = q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("Passwort: Sommer2024!", "Sommer2024!")]
    [InlineData("passwd=hunter22x", "hunter22x")]
    [InlineData("my pwd is hunter22x", "hunter22x")]
    [InlineData("db_key_password: hunter22x", "hunter22x")]
    [InlineData("token_pwd=hunter22x", "hunter22x")]
    [InlineData("Authorization: q8Zr2LmX7vNp4TkW9sYb1HcD", "q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("the key point is that the author agreed")]
    [InlineData("access to the private keyring was granted")]
    [InlineData("api_key: short")]
    [InlineData("monkey = q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("public_key: q8Zr2LmX7vNp4TkW9sYb1HcD")]
    [InlineData("stripe_publishable_key=q8Zr2LmX7vNp4TkW9sYb1HcD")]
    public void KeyedSecrets_AreFoundByTheNamesThatGiveThemAway(string text, params string[] expected)
    {
        // Names ending in _key/-key, containing secret or passw, and the rest of the list; the value after them must still
        // look like one (assigned, long and random enough — any for a password).
        Assert.Equal(expected, Detector.Detect(text).Where(f => f.Type == Entities.Secret).Select(f => f.TextIn(text)));
    }

    [Theory]
    [InlineData("Postal code: K1A 0B1, Ottawa", "K1A 0B1")]
    [InlineData("post code M1 1AE", "M1 1AE")]
    [InlineData("zip is 11164 now", "11164")]
    [InlineData("ZIPCODE=94105-1804", "94105-1804")]
    [InlineData("Postleitzahl 10115", "10115")]
    [InlineData("code postal 75001 Paris", "75001")]
    [InlineData("postcode #1234 AB", "1234 AB")]
    [InlineData("zip12345", "12345")]
    [InlineData("Write to P.O. Box 12 or call.", "P.O. Box 12")]
    [InlineData("Write to Post Office Box 7 or call.", "Post Office Box 7")]
    [InlineData("Write to po box 88 or call.", "po box 88")]
    [InlineData("unzip 12345 files")]
    [InlineData("the zipper 12345")]
    [InlineData("zip codes 12345 and more")]
    [InlineData("postcodeSW1A 1AA")]
    [InlineData("my Xbox 360 broke")]
    [InlineData("a box 42 of apples")]
    public void LabeledPostcodesAndPoBoxes_AreFoundFromTheirDigits(string text, params string[] expected)
    {
        // Found from the postcode's or box number's digits (looking back for the label or "Box "): a label that is part of a
        // longer word, or a box no "PO" or "Post Office" names, is nothing.
        Assert.Equal(expected, Detector.Detect(text).Where(f => f.Type == Entities.StreetAddress).Select(f => f.TextIn(text)));
    }

    [Fact]
    public void AnAddressCutByAStrongerFinding_KeepsWhatIsLeft()
    {
        // The block under the street takes in the next line, which is a name scored higher: the name wins its line, the street keeps the rest.
        const string Text = "Please return to 39 79 Argyll Road\nMargaret Thompson\nin case of an issue.";
        var findings = Detector.Detect(Text);
        Assert.Contains(findings, f => f.Type == Entities.Person && f.TextIn(Text) == "Margaret Thompson");
        Assert.Contains(findings, f => f.Type == Entities.StreetAddress && f.TextIn(Text) == "39 79 Argyll Road");
        for (var i = 1; i < findings.Count; i++)
        {
            Assert.True(findings[i].Start >= findings[i - 1].End, "findings overlap");
        }
    }

    [Fact]
    public void Context_DecidesForAmbiguousNumbers()
    {
        Assert.DoesNotContain(Detector.Detect("Invoice total 536228726 paid."), f => f.Type == Entities.UsSsn);
        Assert.Contains(Detector.Detect("SSN: 536228726"), f => f.Type == Entities.UsSsn);
        Assert.DoesNotContain(Detector.Detect("Meeting on 04/12/1986 went well."), f => f.Type == Entities.DateOfBirth);
    }

    [Fact]
    public void FieldHint_RaisesTheMatchingType()
    {
        Assert.DoesNotContain(new PiiDetector().Detect("536228726"), f => f.Type == Entities.UsSsn);
        Assert.Contains(new PiiDetector().Detect("536228726", hint: "ssn"), f => f.Type == Entities.UsSsn);
    }

    [Fact]
    public void AllowDenyThresholdsAndCustomRecognizers_ChangeWhatIsReported()
    {
        var detector = new PiiDetector(new DetectorOptions
        {
            AllowList = new HashSet<string> { "support@proviso.example" },
            DenyList = new Dictionary<string, string> { ["Project Falcon"] = "CODENAME" },
            Thresholds = new Dictionary<string, double> { [Entities.Url] = 0.99 },
            Custom = [new CustomRecognizer { Type = "EMPLOYEE_ID", Pattern = @"\bEMP-(?<value>\d{6})\b", Context = ["employee"] }],
        });
        var text = "Mail support@proviso.example or anna@example.com about Project Falcon, https://x.example, employee EMP-004211.";
        var f = detector.Detect(text);
        Assert.DoesNotContain(f, x => x.TextIn(text) == "support@proviso.example");
        Assert.Contains(f, x => x.Type == Entities.Email);
        Assert.Contains(f, x => x.Type == "CODENAME" && x.TextIn(text) == "Project Falcon");
        Assert.DoesNotContain(f, x => x.Type == Entities.Url);
        Assert.Contains(f, x => x.Type == "EMPLOYEE_ID" && x.TextIn(text) == "004211");
        Assert.Throws<ArgumentException>(() => new PiiDetector(new DetectorOptions { Custom = [new CustomRecognizer { Type = "X", Pattern = "(" }] }));
    }

    [Fact]
    public void Findings_NeverOverlap_AndReportTheRule()
    {
        var text = "Email john.smith@example.com, visit https://john.smith@example.com/x, card 4111 1111 1111 1111.";
        var f = Detector.Detect(text);
        for (var i = 1; i < f.Count; i++)
        {
            Assert.True(f[i].Start >= f[i - 1].End);
        }
        Assert.All(f, x => Assert.False(string.IsNullOrEmpty(x.Rule)));
    }

    [Fact]
    public void EntitiesOption_LimitsTypes()
    {
        var d = new PiiDetector(new DetectorOptions { Entities = new HashSet<string> { Entities.Email } });
        var f = d.Detect("John Smith, john@example.com, 415-555-2671");
        Assert.Equal([Entities.Email], f.Select(x => x.Type));
    }

    [Fact]
    public void ContextEndsAtLineBreaksBetweenSentences_ButALabelLineStillCounts()
    {
        // "customer" belongs to the sentence before: it says nothing about the word opening the next line.
        var prose = "The account manager rewrote most of it to match the customer's tone. \nShip the replacement today.";
        Assert.DoesNotContain(Detector.Detect(prose), f => f.Type == Entities.Person);
        // Nor does the line after the candidate's ("The account of …" says nothing about the build number above it).
        var report = "Version 2.4.1 fixed the export bug reported in build 20240311.\n\nThe account of Aisha Patel was updated.";
        Assert.DoesNotContain(Detector.Detect(report), f => f.Type == Entities.UsBankNumber);
        // A label on its own line is the context of the value under it.
        var form = "Bank account number:\n00123456789\nThanks.";
        Assert.Contains(Detector.Detect(form), f => f.Type == Entities.UsBankNumber && f.TextIn(form) == "00123456789");
    }
}
