using Microsoft.ML;
using Microsoft.ML.Data;

namespace Benefit.Recommender.Training;

/// <summary>One FFM row: a column per field (patient id, intervention id, patient context, intervention attributes).</summary>
public sealed class FfmInput
{
    public bool Label { get; set; }
    /// <summary>Zero-based index; a value past the last id is "missing" and becomes a zero vector, which is how unseen patients are scored.</summary>
    public uint PatientKey { get; set; }
    public uint InterventionKey { get; set; }
    public float[] Context { get; set; } = [];
    public float[] Attributes { get; set; } = [];

    /// <summary>Key cardinalities and vector sizes are known only at run time, so the schema is built here.</summary>
    public static SchemaDefinition Schema(int patients, int interventions, int contextLength, int attributeLength) =>
        Schema(typeof(FfmInput), patients, interventions, contextLength, attributeLength);

    internal static SchemaDefinition Schema(Type rowType, int patients, int interventions, int contextLength, int attributeLength)
    {
        var schema = SchemaDefinition.Create(rowType);
        schema[nameof(PatientKey)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, patients));
        schema[nameof(InterventionKey)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, interventions));
        schema[nameof(Context)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, contextLength);
        schema[nameof(Attributes)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, attributeLength);
        return schema;
    }
}

/// <summary>
/// A training row with the columns of <see cref="FfmInput"/>, but context and attributes stored sparse: ML.NET's FFM
/// visits every stored entry of a dense vector, zeros included, and about two thirds of these are zero.
/// </summary>
internal sealed class FfmTrainingRow
{
    public bool Label { get; set; }
    public uint PatientKey { get; set; }
    public uint InterventionKey { get; set; }
    public VBuffer<float> Context { get; set; }
    public VBuffer<float> Attributes { get; set; }

    public static VBuffer<float> Sparse(float[] dense)
    {
        var count = 0;
        foreach (var x in dense) if (x != 0) count++;
        var values = new float[count];
        var indices = new int[count];
        for (int k = 0, n = 0; k < dense.Length; k++)
        {
            if (dense[k] == 0) continue;
            values[n] = dense[k];
            indices[n++] = k;
        }
        return new VBuffer<float>(dense.Length, count, values, indices);
    }
}

/// <summary>ML.NET's FFM output; <see cref="Probability"/> is an uncalibrated sigmoid of <see cref="Score"/>.</summary>
public sealed class FfmPrediction
{
    public bool PredictedLabel { get; set; }
    public float Score { get; set; }
    public float Probability { get; set; }
}

internal static class FfmColumns
{
    public const string PatientField = "PatientField";
    public const string InterventionField = "InterventionField";

    /// <summary>Field order matters: the weight-based scorer assumes exactly this order.</summary>
    public static readonly string[] Fields = [PatientField, InterventionField, nameof(FfmInput.Context), nameof(FfmInput.Attributes)];

    public static IEstimator<ITransformer> KeysToOneHot(MLContext ml) =>
        ml.Transforms.Conversion.MapKeyToVector(PatientField, nameof(FfmInput.PatientKey))
            .Append(ml.Transforms.Conversion.MapKeyToVector(InterventionField, nameof(FfmInput.InterventionKey)));
}
