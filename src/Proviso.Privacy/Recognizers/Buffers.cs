using System.Runtime.CompilerServices;

namespace Proviso.Privacy.Recognizers;

// Fixed-size scratch buffers as plain locals. A method with `stackalloc` cannot be moved to optimized code mid-loop (on-stack
// replacement), so the runtime compiles it fully optimized on first call and never again — without the profile-guided
// re-optimization every other hot method gets (inlined delegate calls, hot paths laid out first). The scanners' hottest
// methods held one each; with these instead they are re-optimized like the rest (docs/benchmarks.md, session 8).

/// <summary>Four items on the stack.</summary>
[InlineArray(4)]
internal struct Buffer4<T>
{
    private T _first;
}

/// <summary>Twenty-four items on the stack.</summary>
[InlineArray(24)]
internal struct Buffer24<T>
{
    private T _first;
}

/// <summary>Sixty-four items on the stack.</summary>
[InlineArray(64)]
internal struct Buffer64<T>
{
    private T _first;
}
