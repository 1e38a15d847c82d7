namespace Benefit.Api.Setup;

/// <summary>The demo roster; bound from "Demo".</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo clinicians and patients from data/demo/patients.json on an empty database (on in Development; Production refuses it).</summary>
    public bool Seed { get; set; }
}
