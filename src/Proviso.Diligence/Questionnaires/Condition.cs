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
