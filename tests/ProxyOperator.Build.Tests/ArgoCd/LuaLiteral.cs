using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProxyOperator.Build.Tests.ArgoCd;

/// <summary>
/// A JSON value as a Lua table constructor, decoded the way Argo CD hands a resource to Lua (objects become tables
/// keyed by string, arrays become sequences from 1, null is nil): lua5.4 has no JSON library.
/// </summary>
internal static class LuaLiteral
{
    public static string From(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("nil");
                break;
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    text.Append('[').Append(Quote(key)).Append("]=");
                    Write(text, value);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('{');
                foreach (var item in array)
                {
                    Write(text, item);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        text.Append(Quote(value.GetValue<string>()));
                        break;
                    case JsonValueKind.Number:
                        // A JSON number's text is a Lua numeral too (1, -2.5, 1e+21).
                        text.Append(value.ToJsonString());
                        break;
                    case JsonValueKind.True:
                        text.Append("true");
                        break;
                    case JsonValueKind.False:
                        text.Append("false");
                        break;
                    default:
                        throw new NotSupportedException(value.GetValueKind().ToString());
                }

                break;
            default:
                throw new NotSupportedException(node.GetType().Name);
        }
    }

    /// <summary>A Lua string literal: every byte that is not printable ASCII as a decimal escape (\ddd).</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return text.Append('"').ToString();
    }
}
