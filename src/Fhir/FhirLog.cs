using Benefit.Fhir.Sync;
using Microsoft.Extensions.Logging;

namespace Benefit.Fhir;

internal static partial class FhirLog
{
    [LoggerMessage(1, LogLevel.Information, "FHIR sync of {PatientId}: {Status}, fetched {Fetched}, changed {Changed}, skipped {Skipped} in {ElapsedMs} ms")]
    public static partial void SyncFinished(this ILogger logger, string patientId, SyncStatus status, int fetched, int changed, int skipped, long elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "FHIR sync of {PatientId} not complete ({Failure}): {Reason}; previous snapshot kept")]
    public static partial void SyncNotComplete(this ILogger logger, string patientId, FhirSyncFailure failure, string? reason);

    [LoggerMessage(3, LogLevel.Information, "FHIR batch sync: {Done}/{Total} patients ({Complete} complete, {Partial} partial, {Failed} failed)")]
    public static partial void BatchProgress(this ILogger logger, int done, int total, int complete, int partial, int failed);

    [LoggerMessage(4, LogLevel.Error, "FHIR sync of {PatientId} threw unexpectedly")]
    public static partial void SyncCrashed(this ILogger logger, string patientId, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Bulk export {StatusUrl}: {Status}")]
    public static partial void BulkPoll(this ILogger logger, string statusUrl, string status);
}
