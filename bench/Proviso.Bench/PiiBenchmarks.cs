using BenchmarkDotNet.Attributes;
using Proviso.Privacy;
using Proviso.Privacy.Operators;

namespace Proviso.Bench;

/// <summary>Detection + replacement of 64 KB of prose (one entity per ~300 characters), one thread.</summary>
[MemoryDiagnoser]
public class PiiBenchmarks
{
    private readonly PiiDetector _detector = new();
    private readonly Anonymizer _anonymizer = new(AnonymizerKeys.Random());
    private readonly OperatorConfig _replace = new();
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        _text = PiiCorpus.Text(64 * 1024);
        _anonymizer.Anonymize(_text, _detector.Detect(_text), _replace);
    }

    [Benchmark]
    public int Detect64KB() => _detector.Detect(_text).Count;

    [Benchmark]
    public string DetectAndReplace64KB() => _anonymizer.Anonymize(_text, _detector.Detect(_text), _replace).Text;
}
