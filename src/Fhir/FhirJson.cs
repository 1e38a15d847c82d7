using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Benefit.Fhir;

/// <summary>One lenient JSON reader/writer for every source, so the embedded, server and bulk paths parse alike.</summary>
public static class FhirJson
{
    // Recoverable: a stray unknown element in a hospital's resource must not lose the whole page.
    public static readonly DeserializerSettings Settings = new DeserializerSettings().UsingMode(DeserializationMode.Recoverable);

    private static readonly FhirJsonDeserializer Deserializer = new(Settings);

    /// <summary>Parses a resource; throws <see cref="FormatException"/> for text that is not a FHIR resource.</summary>
    public static Resource Parse(string json)
    {
        try
        {
            return Deserializer.DeserializeResource(json);
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            return partial;
        }
        catch (Exception e) when (e is DeserializationFailedException or System.Text.Json.JsonException)
        {
            throw new FormatException($"Not a FHIR JSON resource: {e.Message}", e);
        }
    }

    public static T Parse<T>(string json) where T : Resource =>
        Parse(json) as T ?? throw new FormatException($"Expected a {typeof(T).Name} resource.");

    public static string Serialize(Resource resource) => resource.ToJson();
}
