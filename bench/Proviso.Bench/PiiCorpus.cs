using System.Globalization;
using System.Text;

namespace Proviso.Bench;

/// <summary>
/// English prose with about one entity per 300 characters, for throughput runs. Deterministic
/// (fixed seed) so every tool in a side-by-side run reads the same bytes.
/// </summary>
internal static class PiiCorpus
{
    internal static readonly string[] Sentences =
    [
        "The quarterly review covered vendor performance, open contract questions and the roadmap for the next release.",
        "We agreed to revisit the data retention terms once the legal team has finished reading the updated addendum.",
        "Support volumes rose slightly in the last month, mostly because of the migration to the new billing system.",
        "Please make sure the summary is shared with the steering group before the end of the week.",
        "The assistant drafted a reply, but the account manager rewrote most of it to match the customer's tone.",
        "Several tickets mention slow exports, and engineering believes the cause is a missing index on the reports table.",
        "The pilot will run for six weeks with a small group of agents before any wider rollout is considered.",
    ];

    internal static readonly Func<Random, string>[] Entities =
    [
        r => $"You can reach {Name(r)} at {Name(r).ToLowerInvariant().Replace(' ', '.')}@example.com for details.",
        r => $"Call the customer back on ({r.Next(201, 989)}) 555-{r.Next(100, 999)}{r.Next(0, 9)} after lunch.",
        r => $"The refund went to card 4111 1111 1111 1111 as requested.",
        r => $"Her SSN {r.Next(100, 665)}-{r.Next(10, 99)}-{r.Next(1000, 9999)} was removed from the ticket.",
        r => $"Wire the deposit to IBAN DE89 3704 0044 0532 0130 00 by Friday.",
        r => $"The login came from {r.Next(11, 223)}.{r.Next(0, 255)}.{r.Next(0, 255)}.{r.Next(1, 254)} late at night.",
        r => $"Ship the replacement to {r.Next(10, 9999)} Maple Street, Springfield, IL 62704 today.",
        r => $"{Name(r)} confirmed the change in writing.",
    ];

    private static readonly string[] First = ["James", "Maria", "Robert", "Linda", "Michael", "Sarah", "David", "Emma", "Daniel", "Olivia"];
    private static readonly string[] Last = ["Johnson", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin"];

    private static string Name(Random r) => $"{First[r.Next(First.Length)]} {Last[r.Next(Last.Length)]}";

    public static string Text(int bytes, int seed = 42)
    {
        var r = new Random(seed);
        var sb = new StringBuilder(bytes + 512);
        var sinceEntity = 0;
        while (sb.Length < bytes)
        {
            if (sinceEntity >= 300 - 60)
            {
                var e = Entities[r.Next(Entities.Length)](r);
                sb.Append(e).Append(' ');
                sinceEntity = 0;
            }
            else
            {
                var s = Sentences[r.Next(Sentences.Length)];
                sb.Append(s).Append(' ');
                sinceEntity += s.Length + 1;
            }
            if (r.Next(8) == 0)
            {
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    public static void WriteCsv(string path, long bytes, int seed = 7)
    {
        var r = new Random(seed);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.WriteLine("id,name,email,phone,note");
        long written = 0;
        var id = 0;
        while (written < bytes)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{id++},{Name(r)},{First[r.Next(First.Length)].ToLowerInvariant()}{id}@example.com,({r.Next(201, 989)}) 555-01{r.Next(10, 99)},\"{Sentences[r.Next(Sentences.Length)]}\"");
            w.WriteLine(line);
            written += line.Length + 1;
        }
    }
}
