using System.Text;
using System.Text.Json;

namespace ProxyOperator.Build.Tests.Docker;

/// <summary>One instruction: its keyword (upper case), its leading flags (<c>--from=build</c>) and the rest.</summary>
internal sealed record DockerInstruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Body, int Line)
{
    /// <summary>JSON array form (<c>["/app/goproxy", "--listen", ...]</c>), which Docker runs without a shell.</summary>
    public bool IsExecForm => Body.StartsWith('[');

    public IReadOnlyList<string> ExecForm() =>
        JsonSerializer.Deserialize<string[]>(Body) ?? throw new FormatException($"line {Line}: {Keyword} is not a JSON array");

    public IReadOnlyList<string> Words => Body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"line {Line}: {Keyword} {Body}";
}

/// <summary>A <c>FROM image [AS name]</c> and the instructions up to the next FROM.</summary>
internal sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>The instruction that decides the image's setting: Docker keeps the last USER, ENTRYPOINT ...</summary>
    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();
}

/// <summary>
/// Just enough of the Dockerfile grammar (https://docs.docker.com/reference/dockerfile/) to check a file's structure
/// without a Docker engine: comments, <c>\</c> continuations, stages, leading <c>--flag=value</c>s.
/// </summary>
internal static class Dockerfile
{
    public static IReadOnlyList<DockerStage> Parse(string text)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        string? image = null, name = null;
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                Close();
                var words = instruction.Words;
                image = words[0];
                name = words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2]
                    : words.Count == 1 ? null
                    : throw new FormatException($"{instruction}: expected FROM IMAGE [AS NAME]");
                current = [];
            }
            else if (current is null)
            {
                // Only ARG may come before the first FROM.
                if (instruction.Keyword != "ARG")
                {
                    throw new FormatException($"{instruction}: before the first FROM");
                }
            }
            else
            {
                current.Add(instruction);
            }
        }

        Close();
        return stages;

        void Close()
        {
            if (current is not null)
            {
                stages.Add(new DockerStage(image!, name, current));
            }
        }
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var logical = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            // Comment lines are dropped, inside a continued instruction too (parser directives are comments here).
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (logical.Length == 0)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                start = i + 1;
            }

            var trimmed = line.TrimEnd();
            if (trimmed.EndsWith('\\'))
            {
                logical.Append(trimmed.AsSpan(0, trimmed.Length - 1)).Append(' ');
                continue;
            }

            logical.Append(trimmed);
            yield return Split(logical.ToString().Trim(), start);
            logical.Clear();
        }

        if (logical.Length > 0)
        {
            throw new FormatException($"line {start}: the file ends inside a continued instruction");
        }
    }

    private static DockerInstruction Split(string instruction, int line)
    {
        var space = instruction.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
        var rest = space < 0 ? "" : instruction[(space + 1)..].TrimStart();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? "" : flag[(equals + 1)..];
            rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
        }

        return new DockerInstruction(keyword, flags, rest, line);
    }
}
