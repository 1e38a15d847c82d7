using System.Text.Json.Serialization;

namespace Benefit.Fhir.Bulk;

/// <summary>The completion manifest of a FHIR Bulk Data export (IG v2, "Response - Complete Status").</summary>
public sealed record BulkExportManifest(
    [property: JsonPropertyName("transactionTime")] DateTimeOffset TransactionTime,
    [property: JsonPropertyName("request")] string Request,
    [property: JsonPropertyName("requiresAccessToken")] bool RequiresAccessToken,
    [property: JsonPropertyName("output")] IReadOnlyList<BulkExportFile> Output,
    [property: JsonPropertyName("error")] IReadOnlyList<BulkExportFile>? Error);

/// <summary>One NDJSON file of the manifest: the resource type it holds and where to download it.</summary>
public sealed record BulkExportFile(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] Uri Url,
    [property: JsonPropertyName("count")] int? Count);

/// <summary>A finished export: the manifest, every resource of its output files, and lines that could not be parsed.</summary>
public sealed record BulkExportResult(BulkExportManifest Manifest, IReadOnlyList<Hl7.Fhir.Model.Resource> Resources, int UnreadableLines);
