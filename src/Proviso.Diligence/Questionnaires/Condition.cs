namespace Proviso.Diligence.Questionnaires;

/// <summary>
/// A display or finding condition over answers, in VSAQ's syntax: identifiers joined by <c>&amp;&amp;</c>,
/// <c>||</c>, <c>!</c> and parentheses. An identifier is true when it names a selected choice
/// (<c>training_optout</c>; a yes/no question <c>q</c> has the choices <c>q.yes</c> and <c>q.no</c>) or
/// an answered question (a yes/no question counts only when answered yes). <c>^id</c> is true when the
/// question, section or finding <c>id</c> is itself shown or raised.
/// </summary>
public abstract class Condition
{
    public const int MaxLength = 2000;
    private const int MaxDepth = 64;

    /// <summary><c>true</c> and <c>false</c> are constants, not names.</summary>
    public static bool IsConstant(string name) => name is "true" or "false";

    /// <summary>Evaluates against a lookup of atoms: <c>(name, visibilityReference)</c> → truth.</summary>
    public abstract bool Evaluate(Func<string, bool, bool> atom);

    /// <summary>Every identifier the condition names, with whether it was a <c>^</c> visibility reference.</summary>
    public abstract IEnumerable<(string Name, bool Visibility)> Atoms();

    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new FormatException($"Condition is {text.Length} characters long; the limit is {MaxLength}.");
        }
        var p = new Parser(text);
        var result = p.Or(0);
        p.SkipSpace();
        if (p.Pos < text.Length)
        {
            throw new FormatException($"Unexpected '{text[p.Pos]}' at position {p.Pos + 1} in condition '{text}'.");
        }
        return result;
    }

    private sealed class Parser(string text)
    {
        public int Pos;

        public void SkipSpace()
        {
            while (Pos < text.Length && char.IsWhiteSpace(text[Pos]))
            {
                Pos++;
            }
        }

        private bool Take(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, Pos, token, 0, token.Length) == 0)
            {
                Pos += token.Length;
                return true;
            }
            return false;
        }

        public Condition Or(int depth)
        {
            var left = And(depth);
            while (Take("||"))
            {
                left = new Binary(left, And(depth), false);
            }
            return left;
        }

        private Condition And(int depth)
        {
            var left = Unary(depth);
            while (Take("&&"))
            {
                left = new Binary(left, Unary(depth), true);
            }
            return left;
        }

        private Condition Unary(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException($"Condition '{text}' is nested more than {MaxDepth} deep.");
            }
            if (Take("!"))
            {
                return new Not(Unary(depth + 1));
            }
            if (Take("("))
            {
                var inner = Or(depth + 1);
                if (!Take(")"))
                {
                    throw new FormatException($"Missing ')' in condition '{text}'.");
                }
                return inner;
            }
            var visibility = Take("^");
            SkipSpace();
            var start = Pos;
            while (Pos < text.Length && (char.IsAsciiLetterOrDigit(text[Pos]) || text[Pos] is '_' or '-' or '.'))
            {
                Pos++;
            }
            if (Pos == start)
            {
                throw new FormatException(Pos < text.Length
                    ? $"Unexpected '{text[Pos]}' at position {Pos + 1} in condition '{text}'."
                    : $"Condition '{text}' ends where a name was expected.");
            }
            return new Atom(text[start..Pos], visibility);
        }
    }

    private sealed class Atom(string name, bool visibility) : Condition
    {
        public override bool Evaluate(Func<string, bool, bool> atom) => IsConstant(name) ? name == "true" : atom(name, visibility);
        public override IEnumerable<(string, bool)> Atoms() => IsConstant(name) ? [] : [(name, visibility)];
    }

    private sealed class Not(Condition inner) : Condition
    {
        public override bool Evaluate(Func<string, bool, bool> atom) => !inner.Evaluate(atom);
        public override IEnumerable<(string, bool)> Atoms() => inner.Atoms();
    }

    private sealed class Binary(Condition left, Condition right, bool and) : Condition
    {
        public override bool Evaluate(Func<string, bool, bool> atom) =>
            and ? left.Evaluate(atom) && right.Evaluate(atom) : left.Evaluate(atom) || right.Evaluate(atom);

        public override IEnumerable<(string, bool)> Atoms() => left.Atoms().Concat(right.Atoms());
    }
}

/// <summary>Keeps conditions pointing at the right names when an id changes (the form builder renames as people type).</summary>
public static class ConditionRename
{
    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>
    /// <paramref name="condition"/> with every name <paramref name="from"/> — and the derived yes/no names
    /// <c>from.yes</c> and <c>from.no</c> — renamed to <paramref name="to"/>; everything else (spacing,
    /// operators, <c>^</c>) is kept as written.
    /// </summary>
    public static string? Rename(string? condition, string from, string to)
    {
        if (string.IsNullOrEmpty(condition) || string.IsNullOrEmpty(from) || from == to)
        {
            return condition;
        }
        var sb = new System.Text.StringBuilder(condition.Length + 8);
        var i = 0;
        while (i < condition.Length)
        {
            if (!IsNameChar(condition[i]))
            {
                sb.Append(condition[i++]);
                continue;
            }
            var start = i;
            while (i < condition.Length && IsNameChar(condition[i]))
            {
                i++;
            }
            var name = condition.AsSpan(start, i - start);
            if (name.SequenceEqual(from))
            {
                sb.Append(to);
            }
            else if (name.Length > from.Length && name.StartsWith(from, StringComparison.Ordinal) && name[from.Length..] is ".yes" or ".no")
            {
                sb.Append(to).Append(name[from.Length..]);
            }
            else
            {
                sb.Append(name);
            }
        }
        return sb.ToString();
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> in every condition of <paramref name="template"/> (sections, questions, finding rules).</summary>
    public static int RenameEverywhere(QuestionnaireTemplate template, string from, string to)
    {
        ArgumentNullException.ThrowIfNull(template);
        var changed = 0;
        string? Apply(string? when)
        {
            var renamed = Rename(when, from, to);
            changed += renamed == when ? 0 : 1;
            return renamed;
        }
        foreach (var section in template.Sections)
        {
            section.When = Apply(section.When);
            foreach (var q in section.Questions)
            {
                q.When = Apply(q.When);
            }
        }
        foreach (var rule in template.Findings)
        {
            rule.When = Apply(rule.When) ?? "";
        }
        return changed;
    }
}
