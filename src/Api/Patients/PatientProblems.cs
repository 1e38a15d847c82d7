using Microsoft.AspNetCore.Http.HttpResults;

namespace Benefit.Api.Patients;

public static class PatientProblems
{
    /// <summary>The one 404 for an unknown patient id, reached only by callers the access filter already let through.</summary>
    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Patient not found", detail: $"No patient '{id}'.");
}
