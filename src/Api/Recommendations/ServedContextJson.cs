using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;

namespace Benefit.Api.Recommendations;

/// <summary>How a served list's <see cref="PatientContext"/> is stored in <see cref="ServedListRecord.ContextJson"/> and read back for training.</summary>
public static class ServedContextJson
{
    private static readonly JsonSerializerOptions Options = new(PatientContextBuilder.Json)
    {
        Converters = { new ReadOnlySetConverterFactory() },
    };

    public static string Write(PatientContext context) => JsonSerializer.Serialize(context, Options);

    public static string Write(ServedCandidates candidates) => JsonSerializer.Serialize(candidates, Options);

    public static ServedCandidates? ReadCandidates(string? json) => json is null ? null : JsonSerializer.Deserialize<ServedCandidates>(json, Options);

    public static PatientContext Read(string json) =>
        JsonSerializer.Deserialize<PatientContext>(json, Options) ?? throw new JsonException("a served list's context is empty");

    /// <summary>System.Text.Json cannot make an <see cref="IReadOnlySet{T}"/>; a <see cref="HashSet{T}"/> is one.</summary>
    private sealed class ReadOnlySetConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlySet<>);

        public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ReadOnlySetConverter<>).MakeGenericType(type.GetGenericArguments()[0]))!;
    }

    private sealed class ReadOnlySetConverter<T> : JsonConverter<IReadOnlySet<T>>
    {
        public override IReadOnlySet<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<HashSet<T>>(ref reader, options) ?? [];

        public override void Write(Utf8JsonWriter writer, IReadOnlySet<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
