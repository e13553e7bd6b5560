using System.Reflection;

namespace Proviso.Privacy.Recognizers;

/// <summary>A case-insensitive word set that can be probed with spans (no allocation per lookup).</summary>
internal sealed class WordSet
{
    private readonly HashSet<string> _words;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordSet(IEnumerable<string> words)
    {
        _words = new HashSet<string>(words, StringComparer.OrdinalIgnoreCase);
        _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _words.Count;

    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);

    public static WordSet FromResource(string name) => new(ReadResource(name));

    internal static IEnumerable<string> ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Proviso.Privacy.Lexicons.{name}")
            ?? throw new InvalidOperationException($"Lexicon {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var list = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                list.Add(line);
            }
        }
        return list;
    }
}

/// <summary>The shipped word lists, loaded once per process.</summary>
internal static class Lexicon
{
    private static readonly Lazy<WordSet> GivenNamesLazy = new(() => WordSet.FromResource("given_names.txt"));
    private static readonly Lazy<WordSet> SurnamesLazy = new(() => WordSet.FromResource("surnames.txt"));
    private static readonly Lazy<WordSet> TitlesLazy = new(() => new WordSet(WordSet.ReadResource("titles.txt").Concat(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "mister", "lord", "lady", "rev", "fr", "sr", "jr"])));
    private static readonly Lazy<WordSet> StreetTypesLazy = new(() => WordSet.FromResource("street_types.txt"));
    private static readonly Lazy<WordSet> UnitsLazy = new(() => WordSet.FromResource("unit_designators.txt"));
    private static readonly Lazy<WordSet> CitiesLazy = new(() => WordSet.FromResource("cities.txt"));
    private static readonly Lazy<WordSet> PlacesLazy = new(() => WordSet.FromResource("places.txt"));

    /// <summary>Loads every list now, the two large ones in parallel.</summary>
    public static void WarmAll()
    {
        Parallel.Invoke(() => _ = GivenNames.Count, () => _ = Surnames.Count, () => _ = Cities.Count + StreetTypes.Count + Units.Count + Titles.Count + Places.Count);
    }

    public static WordSet GivenNames => GivenNamesLazy.Value;
    public static WordSet Surnames => SurnamesLazy.Value;
    public static WordSet Titles => TitlesLazy.Value;
    public static WordSet StreetTypes => StreetTypesLazy.Value;
    public static WordSet Units => UnitsLazy.Value;
    public static WordSet Cities => CitiesLazy.Value;

    /// <summary>Countries, US states and regions: a lone capitalized word among them is a place before it is a name.</summary>
    public static WordSet Places => PlacesLazy.Value;

    /// <summary>
    /// Capitalized words that are not names in running text although name lists hold some of them:
    /// function words, greetings, calendar and business words. They break a name sequence.
    /// </summary>
    public static WordSet Stop { get; } = new(("a about above after again against all also am an and any are as at be because been before being below between both but by can cannot could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where which while who whom why with would you your yours yourself " +
        "yes hello hi dear thanks thank please regards best sincerely kind cheers ok okay sure hey welcome good great new old next last first second third " +
        "january february march july september october november december monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday " +
        "mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec " +
        "street avenue road lane drive court place square park city state county country north south east west " +
        "inc ltd llc corp co company bank group team support service services customer client account order invoice payment card number phone email address name date " +
        "mister madam sir doctor professor president manager director officer agent user admin staff " +
        "english french german spanish italian dutch american british european chinese japanese indian " +
        "christmas easter god king queen prince princess saint st " +
        "chat api app data model models ai gpt note notes summary report subject re fw fwd attention attn call contact send sent " +
        "visa mastercard amex discover paypal iban swift ssn nhs passport license licence id " +
        "patient patients employee employees contractor driver drivers revenue version release invoice sprint ticket tickets pilot review roadmap budget office quarter hub " +
        "day holiday labor labour memorial independence thanksgiving new year eve " +
        "enterprise premium standard basic pro plan plans product products project projects release platform portal dashboard workflow pipeline cluster server network").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Names that are also everyday words: accepted only next to another name part, a title or name context.</summary>
    public static WordSet Ambiguous { get; } = new(("will may june april august mark bill grant rose summer autumn winter spring hope joy faith grace rich sunny page lee ray dawn art bob van del de la le di da du von " +
        "long white young brown green black gray grey king hill wood stone rock bell cook baker miller smith carpenter mason fisher hunter porter price love story case ford hall lord").Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
