using System.Text;
using System.Text.RegularExpressions;

namespace ProxyOperator.Build.Tests.Docker;

/// <summary>
/// A <c>.dockerignore</c>: patterns relative to the context root in Go's filepath.Match syntax plus <c>**</c> for any
/// number of folders, <c>!</c> for an exception, the last matching line deciding
/// (https://docs.docker.com/build/concepts/context/#dockerignore-files). A path is excluded when it or a folder above
/// it matches.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude, string Text)> _rules;

    private DockerIgnore(List<(Regex, bool, string)> rules) => _rules = rules;

    public IEnumerable<string> Patterns => _rules.Select(r => (r.Exclude ? "" : "!") + r.Text);

    public static DockerIgnore Parse(string text)
    {
        var rules = new List<(Regex, bool, string)>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = Clean(exclude ? line : line[1..].Trim());
            rules.Add((ToRegex(pattern), exclude, pattern));
        }

        return new DockerIgnore(rules);
    }

    /// <param name="path">Relative to the context root, with <c>/</c> separators.</param>
    public bool IsExcluded(string path)
    {
        var candidates = Ancestry(Clean(path)).ToList();
        var excluded = false;
        foreach (var (pattern, exclude, _) in _rules)
        {
            if (candidates.Any(pattern.IsMatch))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    // Docker cleans each pattern with filepath.Clean: no leading "/" or "./", no trailing "/".
    private static string Clean(string path)
    {
        path = path.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path.Trim('/');
    }

    private static IEnumerable<string> Ancestry(string path)
    {
        for (var end = path.IndexOf('/', StringComparison.Ordinal); end >= 0; end = path.IndexOf('/', end + 1))
        {
            yield return path[..end];
        }

        yield return path;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        var segments = pattern.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            var last = s == segments.Length - 1;
            if (segments[s] == "**")
            {
                regex.Append(last ? ".*" : "(?:.*/)?");
                continue;
            }

            foreach (var c in segments[s])
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
