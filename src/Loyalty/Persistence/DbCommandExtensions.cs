using System.Data.Common;

namespace Benefit.Loyalty.Persistence;

/// <summary>For the award groups' hand-written commands (the group read, <see cref="RowSet{TRow}"/>).</summary>
internal static class DbCommandExtensions
{
    /// <summary>Adds a provider parameter named <paramref name="name"/> (used as <c>@name</c> in the text) with <paramref name="value"/>.</summary>
    public static void AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
