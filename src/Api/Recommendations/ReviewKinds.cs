using Benefit.Recommender.Serving;

namespace Benefit.Api.Recommendations;

/// <summary>A clinician's review decisions, as stored and as the recommender reads them (a note changes no ranking).</summary>
public static class ReviewKinds
{
    /// <summary>
    /// clear = clinician clearance for an intervention that needs it, without pushing it up the list; revoke-clearance takes
    /// a clearance back (also one implied by endorsing or adding). The latest of them counts.
    /// </summary>
    public const string Endorse = "endorse", Hide = "hide", Add = "add", Clear = "clear", RevokeClearance = "revoke-clearance", Note = "note";
    public static readonly string[] All = [Endorse, Hide, Add, Clear, RevokeClearance, Note];

    public static ClinicianAction? ToAction(string kind) => kind switch
    {
        Endorse => ClinicianAction.Endorse,
        Hide => ClinicianAction.Hide,
        Add => ClinicianAction.Add,
        Clear => ClinicianAction.GrantClearance,
        RevokeClearance => ClinicianAction.RevokeClearance,
        _ => null,
    };
}
