using System.ComponentModel.DataAnnotations;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Recommendations;

/// <summary>How long a patient's "not for me" and "not now" keep an intervention off their list, and how much the served lists explore; bound from "Recommendations".</summary>
public sealed class RecommendationsOptions
{
    public const string SectionName = "Recommendations";

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan NotForMePeriod { get; set; } = new RecommendationOptions().NotForMePeriod;

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan NotNowPeriod { get; set; } = new RecommendationOptions().NotNowPeriod;

    /// <summary>
    /// Share of personalised lists whose last slot shows a safe, fitting, under-explored intervention instead of the model's
    /// pick, so the nightly retrain learns about items it would otherwise never show (new ones first). 0 turns it off.
    /// </summary>
    [Range(0.0, 0.5)]
    public double ExplorationShare { get; set; } = 0.1;

    /// <summary>Binds and validates the section and hands the recommender its serving rules (with the loaded threshold table).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddOptions<RecommendationsOptions>().BindConfiguration(SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RecommendationsOptions>>().Value;
            return new RecommendationOptions
            {
                NotForMePeriod = o.NotForMePeriod, NotNowPeriod = o.NotNowPeriod, ExplorationShare = o.ExplorationShare,
                Thresholds = sp.GetRequiredService<ClinicalThresholds>(),
            };
        });
    }
}
