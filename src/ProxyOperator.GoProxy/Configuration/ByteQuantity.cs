using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// A size written as a Kubernetes resource quantity (<c>40Gi</c>, <c>500M</c>, <c>1.5Ti</c>, <c>1e9</c>) or plain bytes:
/// the operator passes <c>spec.storage.maxSize</c>, a quantity, through unchanged.
/// See https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/.
/// </summary>
public static partial class ByteQuantity
{
    /// <summary>Bytes, rounded up (a quantity may have a fraction); false with a reason when the text is not a usable size.</summary>
    public static bool TryParse(string? text, out long bytes, out string error)
    {
        bytes = 0;
        error = "";
        var match = Syntax().Match(text ?? "");
        if (!match.Success)
        {
            error = $"\"{text}\" is not a size: write bytes or a Kubernetes quantity such as 40Gi or 500M";
            return false;
        }

        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        try
        {
            var scaled = suffix switch
            {
                "" => number,
                "Ki" => number * (1L << 10),
                "Mi" => number * (1L << 20),
                "Gi" => number * (1L << 30),
                "Ti" => number * (1L << 40),
                "Pi" => number * (1L << 50),
                "Ei" => number * (1L << 60),
                "k" => number * 1e3m,
                "M" => number * 1e6m,
                "G" => number * 1e9m,
                "T" => number * 1e12m,
                "P" => number * 1e15m,
                "E" => number * 1e18m,
                _ => number * Pow10(int.Parse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            };
            bytes = checked((long)decimal.Ceiling(scaled));
        }
        catch (OverflowException)
        {
            error = $"\"{text}\" is too large";
            return false;
        }

        if (bytes <= 0)
        {
            error = $"\"{text}\" must be more than zero bytes";
            return false;
        }

        return true;
    }

    private static decimal Pow10(int exponent)
    {
        if (exponent is < 0 or > 18)
        {
            throw new OverflowException();
        }

        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Syntax();
}
