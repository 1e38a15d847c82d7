using Benefit.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Benefit.Api.Tests.Clinician;

/// <summary>What the review page's browser tests share: signing in, finding a suggestion, saving a screenshot for the docs.</summary>
internal static class ClinicianPage
{
    public static async Task<IPage> SignedInAsync(BrowserFixture fixture, Caller caller, int width = 1280, int height = 900)
    {
        var page = await fixture.NewPageAsync(width, height);
        await page.GotoAsync("/clinician");
        await page.GetByLabel("Access token").FillAsync(BenefitApplication.Token(caller));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "My patients" })).ToBeVisibleAsync();
        return page;
    }

    public static ILocator Suggestion(IPage page, string interventionId) => page.Locator($"li.suggestion[data-intervention='{interventionId}']");

    public static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var artifact = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(artifact)!);
        // The top of the view (measurements, trends, suggestions) keeps the picture under 300 KB for the README.
        await page.ScreenshotAsync(new() { Path = artifact, FullPage = true, Clip = new() { X = 0, Y = 0, Width = 1280, Height = 1500 } });
        Assert.True(new FileInfo(artifact).Length > 10_000, "the screenshot should show the page");
    }
}
