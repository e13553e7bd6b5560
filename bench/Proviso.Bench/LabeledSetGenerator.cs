using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Proviso.Privacy;
using Proviso.Privacy.Evaluation;
using Proviso.Privacy.Recognizers;

namespace Proviso.Bench;

/// <summary>
/// Generates the labeled evaluation set (tests/data/pii/proviso-labeled-*.json): support-desk, HR,
/// finance and engineering sentences with values of every supported type, written in the formats
/// people use, plus distractors that look like PII but are not (order numbers, versions, prices,
/// dates without birth context, capitalized product and place names). Values are generated here
/// with their own check digits; sentences are drawn from templates, so a new seed gives unseen text.
/// </summary>
internal static partial class LabeledSetGenerator
{
    private static readonly string[] First = ["James", "Maria", "Wei", "Fatima", "Lars", "Aisha", "Carlos", "Yuki", "Olga", "Mohammed", "Sophie", "Ravi", "Emily", "Kwame", "Ingrid", "Diego", "Hannah", "Tariq", "Chloe", "Mateus", "Agnieszka", "Liam", "Zoe", "Nikolai"];
    private static readonly string[] Last = ["Johnson", "Nakamura", "Okafor", "Lindqvist", "Hernandez", "Kowalski", "Dubois", "Patel", "Schneider", "O'Brien", "Rossi", "Andersen", "Nguyen", "Fischer", "Mensah", "Alvarez", "Jansen", "Ivanova", "Brennan", "Costa"];
    private static readonly string[] Streets = ["Maple", "Oak", "Washington", "Lincoln", "Park", "Lake", "Hill", "Cedar", "Elm", "Pine", "Sunset", "River"];
    private static readonly string[] Types = ["Street", "St.", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Lane", "Drive", "Court"];
    private static readonly string[] Cities = ["Springfield, IL 62704", "Austin, TX 78701", "Portland, OR 97205", "Denver, CO 80202", "Madison, WI 53703"];

    private static readonly string[] Templates =
    [
        "Hi, this is {PERSON}, my email is {EMAIL_ADDRESS} and you can call me on {PHONE_NUMBER}.",
        "Customer {PERSON} asked us to update the card on file to {CREDIT_CARD}.",
        "Please wire the refund to {IBAN_CODE} and confirm by email to {EMAIL_ADDRESS}.",
        "Employee record: {PERSON}, SSN {US_SSN}, started on Monday.",
        "The suspicious login came from {IP_ADDRESS} and targeted the account of {PERSON}.",
        "Ship the replacement laptop to {STREET_ADDRESS}.",
        "Patient was born on {DATE_OF_BIRTH} and her MRN is {MEDICAL_RECORD_NUMBER}.",
        "Dear {PERSON}, thank you for contacting support about ticket 48213.",
        "Our contractor {PERSON} uses the laptop with MAC {MAC_ADDRESS} on the guest network.",
        "The docs live at {URL} and the staging server is {IP_ADDRESS}.",
        "Someone pasted an AWS key {SECRET} into the chat; rotate it now.",
        "Send the bonus to the wallet {CRYPTO} before Friday.",
        "His national insurance number is {UK_NINO} and his NHS number is {UK_NHS}.",
        "DNI del cliente: {ES_NIF}. Codice fiscale del fornitore: {IT_FISCAL_CODE}.",
        "BSN van de medewerker: {NL_BSN}.",
        "Aadhaar {IN_AADHAAR} and PAN {IN_PAN} were uploaded for KYC.",
        "Mr. {PERSON} requested a callback at {PHONE_NUMBER} regarding order 77120.",
        "Bank routing number {ABA_ROUTING_NUMBER}, account {US_BANK_NUMBER}.",
        "Her passport number is {US_PASSPORT} and she was born {DATE_OF_BIRTH}.",
        "Reach {PERSON} at {PHONE_NUMBER} or {EMAIL_ADDRESS} after 5 pm.",
        "The tax file number {AU_TFN} belongs to {PERSON}.",
        "NRIC {SG_NRIC_FIN} was verified by {PERSON} from compliance.",
        "Please forward the contract to {PERSON} ({EMAIL_ADDRESS}).",
        "Invoice 2024-0113 for {PERSON} lists a billing address of {STREET_ADDRESS}.",
        "Numéro de sécurité sociale : {FR_NIR}.",
        "Steuer-ID des Mitarbeiters: {DE_TAX_ID}.",
        "{PERSON} called from {PHONE_NUMBER} and asked about the delivery to {STREET_ADDRESS}.",
        "Use the token {SECRET} only in the CI pipeline.",
        "Card ending in {CREDIT_CARD} was declined twice for {PERSON}.",
        "Driver license {US_DRIVER_LICENSE} was scanned at the front desk.",
    ];

    private static readonly string[] Distractors =
    [
        "Version 2.4.1 fixed the export bug reported in build 20240311.",
        "The invoice total was 1,249.50 USD, due on 2024-03-31.",
        "We meet every Tuesday in the Lisbon office to review the roadmap.",
        "Order number 1002938477 shipped yesterday via the Atlantic hub.",
        "The Phoenix release moved to March because of the API freeze.",
        "Call the front desk at extension 4410 if the badge reader fails.",
        "Revenue grew 12% quarter over quarter, driven by Enterprise plans.",
        "Sprint 14 closed 37 tickets and reopened 3.",
        "The London team adopted the new Salesforce workflow last week.",
        "Use port 8443 for the admin console and port 443 for the public site.",
    ];

    public static void Write(int count, int seed, string path)
    {
        var r = new Random(seed);
        var records = new List<LabeledText>(count);
        for (var i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            var spans = new List<LabeledSpan>();
            var sentences = r.Next(1, 4);
            for (var k = 0; k < sentences; k++)
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }
                if (r.Next(4) == 0)
                {
                    sb.Append(Distractors[r.Next(Distractors.Length)]);
                    continue;
                }
                var template = Templates[r.Next(Templates.Length)];
                var last = 0;
                foreach (Match m in Placeholder().Matches(template))
                {
                    sb.Append(template, last, m.Index - last);
                    var type = m.Groups[1].Value;
                    var value = Value(type, r);
                    spans.Add(new LabeledSpan(type, value, sb.Length, sb.Length + value.Length));
                    sb.Append(value);
                    last = m.Index + m.Length;
                }
                sb.Append(template, last, template.Length - last);
            }
            records.Add(new LabeledText(sb.ToString(), spans));
        }
        File.WriteAllText(path, JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [GeneratedRegex(@"\{([A-Z_]+)\}")]
    private static partial Regex Placeholder();

    private static string Digits(Random r, int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('0' + r.Next(10))));

    private static string Value(string type, Random r)
    {
        switch (type)
        {
            case Entities.Person:
                return r.Next(5) == 0 ? $"{First[r.Next(First.Length)][0]}. {Last[r.Next(Last.Length)]}" : $"{First[r.Next(First.Length)]} {Last[r.Next(Last.Length)]}";
            case Entities.Email:
                return $"{First[r.Next(First.Length)].ToLowerInvariant()}{(r.Next(2) == 0 ? "." : "_")}{Last[r.Next(Last.Length)].ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)}@{(r.Next(2) == 0 ? "example.com" : "mail.example.org")}";
            case Entities.Phone:
                return r.Next(3) switch
                {
                    0 => $"({r.Next(2, 10)}{r.Next(0, 9)}{r.Next(0, 10)}) {r.Next(2, 10)}{Digits(r, 2)}-{Digits(r, 4)}",
                    1 => $"+44 20 7{Digits(r, 3)} {Digits(r, 4)}",
                    _ => $"{r.Next(2, 10)}{r.Next(0, 9)}{r.Next(0, 10)}-{r.Next(2, 10)}{Digits(r, 2)}-{Digits(r, 4)}",
                };
            case Entities.CreditCard:
                var issuer = r.Next(2) == 0 ? "4" : "5" + r.Next(1, 6);
                var payload = issuer + Digits(r, 15 - issuer.Length);
                var card = payload + Checksums.LuhnCheckDigit(payload);
                return r.Next(2) == 0 ? string.Join(' ', Enumerable.Range(0, 4).Select(k => card.Substring(k * 4, 4))) : card;
            case Entities.Iban:
                var bban = Digits(r, 18);
                var iban = "DE" + Checksums.IbanCheckDigits("DE", bban) + bban;
                return string.Join(' ', Enumerable.Range(0, 6).Select(k => iban.Substring(k * 4, Math.Min(4, iban.Length - (k * 4)))));
            case Entities.UsSsn:
                return $"{r.Next(1, 665):000}-{r.Next(1, 100):00}-{r.Next(1, 10000):0000}";
            case Entities.IpAddress:
                return r.Next(3) == 0 ? $"2001:db8:{r.Next(1, 0xffff):x}::{r.Next(1, 0xffff):x}" : $"{r.Next(11, 223)}.{r.Next(0, 256)}.{r.Next(0, 256)}.{r.Next(1, 255)}";
            case Entities.StreetAddress:
                return $"{r.Next(1, 9999)} {Streets[r.Next(Streets.Length)]} {Types[r.Next(Types.Length)]}, {Cities[r.Next(Cities.Length)]}";
            case Entities.DateOfBirth:
                return r.Next(2) == 0 ? $"{r.Next(1, 13):00}/{r.Next(1, 29):00}/{r.Next(1940, 2005)}" : $"{r.Next(1940, 2005)}-{r.Next(1, 13):00}-{r.Next(1, 29):00}";
            case Entities.MedicalRecordNumber:
                return Digits(r, 8);
            case Entities.MacAddress:
                return string.Join(':', Enumerable.Range(0, 6).Select(_ => r.Next(256).ToString("X2", CultureInfo.InvariantCulture)));
            case Entities.Url:
                return $"https://docs.example.com/{(char)('a' + r.Next(26))}{Digits(r, 3)}/guide";
            case Entities.Secret:
                const string up = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
                return r.Next(2) == 0 ? "AKIA" + string.Concat(Enumerable.Range(0, 16).Select(_ => up[r.Next(up.Length)])) : "ghp_" + string.Concat(Enumerable.Range(0, 36).Select(_ => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[r.Next(62)]));
            case Entities.Crypto:
                var p = new byte[21];
                r.NextBytes(p.AsSpan(1));
                var check = System.Security.Cryptography.SHA256.HashData(System.Security.Cryptography.SHA256.HashData(p));
                return Checksums.Base58Encode([.. p, .. check.AsSpan(0, 4)]);
            case Entities.UkNino:
                return $"{"ABCEGHJKLMNPRSTWXYZ"[r.Next(19)]}{"ABCEGHJKLMNPRSTWXYZ"[r.Next(19)]}{Digits(r, 6)}{"ABCD"[r.Next(4)]}";
            case Entities.UkNhs:
                while (true)
                {
                    var nine = (char)('1' + r.Next(9)) + Digits(r, 8);
                    var c = Checksums.NhsCheckDigit(nine);
                    if (c >= 0)
                    {
                        var nhs = nine + c;
                        return $"{nhs[..3]} {nhs[3..6]} {nhs[6..]}";
                    }
                }
            case Entities.EsNif:
                var d8 = Digits(r, 8);
                return d8 + Checksums.NifLetters[(int)(long.Parse(d8, CultureInfo.InvariantCulture) % 23)];
            case Entities.ItFiscalCode:
                var cf = $"{new string(Enumerable.Range(0, 6).Select(_ => (char)('A' + r.Next(26))).ToArray())}{r.Next(40, 99)}{"ABCDEHLMPRST"[r.Next(12)]}{r.Next(10, 29)}{(char)('A' + r.Next(26))}{r.Next(100, 999)}";
                return cf + Checksums.ItFiscalCheck(cf);
            case Entities.NlBsn:
                while (true)
                {
                    var b = (char)('1' + r.Next(9)) + Digits(r, 8);
                    if (Checksums.ElevenTest(b))
                    {
                        return b;
                    }
                }
            case Entities.InAadhaar:
                var a11 = (char)('2' + r.Next(8)) + Digits(r, 10);
                var aadhaar = a11 + Checksums.VerhoeffCheckDigit(a11);
                return $"{aadhaar[..4]} {aadhaar[4..8]} {aadhaar[8..]}";
            case Entities.InPan:
                return $"{new string(Enumerable.Range(0, 3).Select(_ => (char)('A' + r.Next(26))).ToArray())}P{(char)('A' + r.Next(26))}{Digits(r, 4)}{(char)('A' + r.Next(26))}";
            case Entities.AbaRouting:
                while (true)
                {
                    var aba = $"0{r.Next(1, 10)}" + Digits(r, 7);
                    if (Checksums.AbaRouting(aba))
                    {
                        return aba;
                    }
                }
            case Entities.UsBankNumber:
                return Digits(r, r.Next(9, 13));
            case Entities.UsPassport:
                return r.Next(2) == 0 ? Digits(r, 9) : (char)('A' + r.Next(26)) + Digits(r, 8);
            case Entities.AuTfn:
                while (true)
                {
                    var t = (char)('1' + r.Next(9)) + Digits(r, 8);
                    if (Checksums.AuTfn(t))
                    {
                        return t;
                    }
                }
            case Entities.SgNricFin:
                var seven = Digits(r, 7);
                return $"S{seven}{Checksums.SgNricCheck('S', seven)}";
            case Entities.FrNir:
                var body = $"{r.Next(1, 3)}{r.Next(40, 99)}{r.Next(1, 13):00}{r.Next(1, 96):00}{r.Next(1, 990):000}{r.Next(1, 999):000}";
                return body + (97 - (int)(long.Parse(body, CultureInfo.InvariantCulture) % 97)).ToString("00", CultureInfo.InvariantCulture);
            case Entities.DeTaxId:
                while (true)
                {
                    var ten = (char)('1' + r.Next(9)) + Digits(r, 9);
                    var id = ten + Checksums.DeTaxIdCheckDigit(ten);
                    if (Checksums.DeTaxId(id))
                    {
                        return id;
                    }
                }
            case Entities.UsDriverLicense:
                return (char)('A' + r.Next(26)) + Digits(r, 7);
            default:
                throw new ArgumentException(type);
        }
    }
}
