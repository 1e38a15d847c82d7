using Benefit.Recommender.Catalog;
using Benefit.Recommender.Features;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Benefit.Recommender.Training;

/// <summary>A trained FFM pipeline together with the id index it was trained with.</summary>
public sealed record TrainedModel(MLContext Ml, ITransformer Model, DataViewSchema InputSchema, FeatureSpace Space)
{
    public FieldAwareFactorizationMachineModelParameters Parameters =>
        ((FieldAwareFactorizationMachinePredictionTransformer)((IEnumerable<ITransformer>)Model).Last()).Model;
}

/// <summary>Trains ML.NET's field-aware factorization machine as a hybrid matrix factorization (one column per field).</summary>
public sealed class FfmTrainer(TrainingOptions options)
{
    public TrainedModel Train(IReadOnlyList<TrainingExample> examples, InterventionCatalog catalog)
    {
        // ML.NET's AVX/FMA kernels step through latent vectors 8 floats at a time and silently skip a remainder
        // (latent 4 trains a linear model on AVX machines), so only multiples of 8 are safe.
        if (options.LatentDimension <= 0 || options.LatentDimension % 8 != 0)
            throw new ArgumentException($"latent dimension must be a positive multiple of 8, not {options.LatentDimension}");
        var ml = new MLContext(options.Seed);
        var patientIds = examples.Select(e => e.PatientId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var itemIds = catalog.Items.Select(i => i.Id).ToList();
        var space = new FeatureSpace(patientIds, itemIds)
        {
            Normalized = options.NormalizeFeatures, FieldLength = options.FieldLength, Identity = options.IdentityFields,
        };
        var rows = TrainingSet.WithoutPatientIdentity(TrainingSet.WithSampledNegatives(examples, catalog, options), options);
        var data = ToDataView(ml, space, catalog, rows);

        var trainer = ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(new FieldAwareFactorizationMachineTrainer.Options
        {
            FeatureColumnName = FfmColumns.Fields[0],
            ExtraFeatureColumns = FfmColumns.Fields[1..],
            LabelColumnName = nameof(FfmInput.Label),
            LatentDimension = options.LatentDimension,
            NumberOfIterations = options.EpochsFor(examples.Count),
            LearningRate = options.LearningRate,
            LambdaLinear = options.LambdaLinear,
            LambdaLatent = options.LambdaLatent,
            NormalizeFeatures = options.NormalizeFeatures,
            Shuffle = true,
        });
        // The FFM trainer does not cache on its own, and a streamed data view cannot shuffle: without the cache every epoch
        // re-built every row and ML.NET silently ignored Shuffle (rows came patient by patient, sampled negatives last).
        var model = FfmColumns.KeysToOneHot(ml).Append(trainer).Fit(ml.Data.Cache(data));
        return new TrainedModel(ml, model, data.Schema, space);
    }

    public static IDataView ToDataView(MLContext ml, FeatureSpace space, InterventionCatalog catalog, IEnumerable<TrainingExample> rows)
    {
        var attributes = catalog.Items.ToDictionary(i => i.Id, i => FfmTrainingRow.Sparse(space.Scale(AttributeFeatures.Encode(i))), StringComparer.Ordinal);
        var schema = FfmInput.Schema(typeof(FfmTrainingRow), space.PatientIds.Count, space.InterventionIds.Count, space.ContextLength, space.AttributeLength);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new FfmTrainingRow
        {
            Label = r.Label,
            PatientKey = Key(space.PatientIndex(r.PatientId), space.PatientIds.Count),
            InterventionKey = Key(r.WithoutInterventionIdentity ? -1 : space.InterventionIndex(r.InterventionId), space.InterventionIds.Count),
            Context = FfmTrainingRow.Sparse(space.Scale(r.Context)),
            Attributes = attributes[r.InterventionId],
        }), schema);
    }

    public static FfmInput ToInput(FeatureSpace space, TrainingExample row, float[] attributes) => new()
    {
        Label = row.Label,
        PatientKey = Key(space.PatientIndex(row.PatientId), space.PatientIds.Count),
        InterventionKey = Key(space.InterventionIndex(row.InterventionId), space.InterventionIds.Count),
        Context = space.Scale(row.Context),
        Attributes = space.Scale(attributes),
    };

    /// <summary>LoadFromEnumerable reads key properties as zero-based; a value past the end becomes "missing", i.e. a zero vector.</summary>
    private static uint Key(int index, int count) => (uint)(index >= 0 ? index : count);
}
