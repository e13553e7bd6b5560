namespace Proviso.Privacy.Recognizers;

/// <summary>A possible entity before context, thresholds and overlap resolution.</summary>
internal struct Candidate(string type, int start, int end, double score, string rule)
{
    public string Type = type;
    public int Start = start;
    public int End = end;
    public double Score = score;
    public string Rule = rule;

    /// <summary>Only context (words around it, a field name) lifted it over its threshold: its repeats elsewhere lack that.</summary>
    public bool Cued;

    /// <summary>Set with the final score: its type is enabled and the score reaches the type's threshold.</summary>
    public bool Passes;
}
