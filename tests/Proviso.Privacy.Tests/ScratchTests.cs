using Xunit.Abstractions;

namespace Proviso.Privacy.Tests;

public class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        var d = new PiiDetector();
        string[] samples =
        [
            "Contact John Smith at john.smith@example.com or +1 (415) 555-2671. SSN 123-45-6788.",
            "Card 4111 1111 1111 1111 exp 12/26, IBAN DE89 3704 0044 0532 0130 00.",
            "Please have the manager call me at (96) 627-277 I'd like to join accounts with ms. Wijtze",
            "Server 192.168.1.20 and fe80::1ff:fe23:4567:890a, MAC 00:1A:2B:3C:4D:5E, see https://example.com/a?b=c.",
            "I live at 1600 Pennsylvania Avenue NW, Washington, DC 20500 and Hauptstraße 5, 10115 Berlin.",
            "NINO AB123456C, NHS 943 476 5919, BSN 111222333, Aadhaar 2341 2341 2346, PAN ABCPE1234F.",
            "aws AKIAIOSFODNN7EXAMPLE token ghp_abcdefghijklmnopqrstuvwxyz0123456789 password: Hunter2Hunter2!",
            "Born on 12/03/1985. DOB: 1990-07-15. Meeting on 2024-01-02.",
            "Send BTC to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "Marie Curie met Dr. Watson and Anna van der Berg in Paris. Will you come? Mark Johnson will.",
        ];
        foreach (var s in samples)
        {
            output.WriteLine(s);
            foreach (var f in d.Detect(s))
            {
                output.WriteLine($"  {f.Type} [{f.TextIn(s)}] {f.Score} {f.Rule}");
            }
        }
    }
}
