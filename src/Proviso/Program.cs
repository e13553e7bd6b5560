using Proviso.Cli;

return await ProvisoCli.RunAsync(args);

/// <summary>Entry point type, referenced by the test factory.</summary>
public partial class Program;
