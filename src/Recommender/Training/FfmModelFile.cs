using System.IO.Compression;
using System.Text.Json;
using Benefit.Recommender.Features;
using Microsoft.ML;

namespace Benefit.Recommender.Training;

/// <summary>Saves and loads a trained model as one zip: ML.NET's own entries plus the id index, so one file is the whole model.</summary>
public static class FfmModelFile
{
    private const string SpaceEntry = "Benefit/feature-space.json";

    private sealed record SpaceDto(List<string> PatientIds, List<string> InterventionIds, int ContextLength, int AttributeLength, bool Normalized,
        float? FieldLength = null, bool Identity = true);

    public static void Save(TrainedModel model, Stream destination)
    {
        using var buffer = new MemoryStream();
        model.Ml.Model.Save(model.Model, model.InputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry(SpaceEntry, CompressionLevel.Optimal);
            using var s = entry.Open();
            var space = model.Space;
            JsonSerializer.Serialize(s, new SpaceDto([.. space.PatientIds], [.. space.InterventionIds], space.ContextLength, space.AttributeLength, space.Normalized,
                space.FieldLength, space.Identity));
        }
        buffer.Position = 0;
        buffer.CopyTo(destination);
    }

    public static TrainedModel Load(Stream source, int seed = 0)
    {
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        buffer.Position = 0;
        SpaceDto dto;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true))
        {
            using var s = (zip.GetEntry(SpaceEntry) ?? throw new InvalidDataException("model file has no feature space")).Open();
            dto = JsonSerializer.Deserialize<SpaceDto>(s) ?? throw new InvalidDataException("empty feature space");
        }
        buffer.Position = 0;
        var ml = new MLContext(seed);
        var model = ml.Model.Load(buffer, out var schema);
        var space = new FeatureSpace(dto.PatientIds, dto.InterventionIds) { ContextLength = dto.ContextLength, AttributeLength = dto.AttributeLength,
            Normalized = dto.Normalized, FieldLength = dto.FieldLength, Identity = dto.Identity };
        return new TrainedModel(ml, model, schema, space);
    }
}
