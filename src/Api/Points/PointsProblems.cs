using Benefit.Loyalty;
using Microsoft.AspNetCore.Mvc;

namespace Benefit.Api.Points;

/// <summary>The one table from ledger error codes to HTTP statuses (IETF Idempotency-Key draft: reused key 422, in flight 409).</summary>
public static class PointsProblems
{
    public static int StatusFor(LedgerErrorCode code) => code switch
    {
        LedgerErrorCode.InvalidRequest => StatusCodes.Status400BadRequest,
        LedgerErrorCode.ReservationNotFound => StatusCodes.Status404NotFound,
        LedgerErrorCode.ActivityNotFound => StatusCodes.Status404NotFound,
        LedgerErrorCode.InsufficientPoints => StatusCodes.Status409Conflict,
        LedgerErrorCode.OutOfStock => StatusCodes.Status409Conflict,
        LedgerErrorCode.RequestInFlight => StatusCodes.Status409Conflict,
        LedgerErrorCode.ReservationNotActive => StatusCodes.Status409Conflict,
        LedgerErrorCode.AlreadyReversed => StatusCodes.Status409Conflict,
        LedgerErrorCode.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        LedgerErrorCode.UnknownReward => StatusCodes.Status422UnprocessableEntity,
        LedgerErrorCode.AwardNotFound => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails From(LedgerException e) => new()
    {
        Status = StatusFor(e.Code),
        Title = e.Code switch
        {
            LedgerErrorCode.InsufficientPoints => "Not enough points",
            LedgerErrorCode.OutOfStock => "Reward out of stock",
            LedgerErrorCode.IdempotencyKeyReused => "Idempotency key already used for a different request",
            LedgerErrorCode.RequestInFlight => "A request with this idempotency key is still in progress",
            _ => e.Code.ToString(),
        },
        Detail = e.Message,
        Extensions = { ["code"] = e.Code.ToString() },
    };
}
