namespace Proviso.Privacy;

/// <summary>Entity type names. Presidio's vocabulary where Presidio has a name, so rules and reports carry over.</summary>
public static class Entities
{
#pragma warning disable CS1591 // The names are their own documentation.
    public const string Person = "PERSON";
    public const string Email = "EMAIL_ADDRESS";
    public const string Phone = "PHONE_NUMBER";
    public const string CreditCard = "CREDIT_CARD";
    public const string Iban = "IBAN_CODE";
    public const string UsSsn = "US_SSN";
    public const string UsItin = "US_ITIN";
    public const string UsPassport = "US_PASSPORT";
    public const string UsDriverLicense = "US_DRIVER_LICENSE";
    public const string UsBankNumber = "US_BANK_NUMBER";
    public const string AbaRouting = "ABA_ROUTING_NUMBER";
    public const string UkNino = "UK_NINO";
    public const string UkNhs = "UK_NHS";
    public const string EsNif = "ES_NIF";
    public const string EsNie = "ES_NIE";
    public const string ItFiscalCode = "IT_FISCAL_CODE";
    public const string NlBsn = "NL_BSN";
    public const string DeTaxId = "DE_TAX_ID";
    public const string FrNir = "FR_NIR";
    public const string InAadhaar = "IN_AADHAAR";
    public const string InPan = "IN_PAN";
    public const string SgNricFin = "SG_NRIC_FIN";
    public const string AuTfn = "AU_TFN";
    public const string IpAddress = "IP_ADDRESS";
    public const string MacAddress = "MAC_ADDRESS";
    public const string Url = "URL";
    public const string StreetAddress = "STREET_ADDRESS";
    public const string DateOfBirth = "DATE_OF_BIRTH";
    public const string MedicalRecordNumber = "MEDICAL_RECORD_NUMBER";
    public const string Crypto = "CRYPTO";
    public const string Secret = "SECRET";
#pragma warning restore CS1591

    /// <summary>Every built-in type.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Person, Email, Phone, CreditCard, Iban, UsSsn, UsItin, UsPassport, UsDriverLicense, UsBankNumber, AbaRouting,
        UkNino, UkNhs, EsNif, EsNie, ItFiscalCode, NlBsn, DeTaxId, FrNir, InAadhaar, InPan, SgNricFin, AuTfn,
        IpAddress, MacAddress, Url, StreetAddress, DateOfBirth, MedicalRecordNumber, Crypto, Secret,
    ];
}

/// <summary>One detected entity: a span of character offsets into the .NET string, a score and the rule that fired.</summary>
/// <param name="Type">Entity type, e.g. <see cref="Entities.Email"/>.</param>
/// <param name="Start">Offset of the first character (UTF-16 code units).</param>
/// <param name="End">Offset just past the last character.</param>
/// <param name="Score">Confidence in [0, 1] after context adjustment.</param>
/// <param name="Rule">Which rule fired, e.g. <c>credit-card/luhn</c>.</param>
public readonly record struct Finding(string Type, int Start, int End, double Score, string Rule)
{
    /// <summary>Length in characters.</summary>
    public int Length => End - Start;

    /// <summary>The matched text.</summary>
    public string TextIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text[Start..End];
    }
}
