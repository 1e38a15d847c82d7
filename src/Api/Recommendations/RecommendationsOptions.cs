using System.ComponentModel.DataAnnotations;
using Benefit.Recommender.Serving;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Recommendations;

/// <summary>How long a patient's "not for me" and "not now" keep an intervention off their list; bound from "Recommendations".</summary>
public sealed class RecommendationsOptions
{
    public const string SectionName = "Recommendations";

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan NotForMePeriod { get; set; } = new RecommendationOptions().NotForMePeriod;

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan NotNowPeriod { get; set; } = new RecommendationOptions().NotNowPeriod;

    /// <summary>Binds and validates the section and hands the recommender its serving rules.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddOptions<RecommendationsOptions>().BindConfiguration(SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RecommendationsOptions>>().Value;
            return new RecommendationOptions { NotForMePeriod = o.NotForMePeriod, NotNowPeriod = o.NotNowPeriod };
        });
    }
}
