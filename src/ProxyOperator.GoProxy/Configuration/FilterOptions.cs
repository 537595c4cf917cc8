using System.ComponentModel.DataAnnotations;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>
/// Which modules are served (see <see cref="Filters.FilterSet"/> for the rule syntax and meaning). Rules come from
/// this section or, when <see cref="File"/> is set, from that YAML file (<c>deny:</c> and <c>allow:</c> lists), which
/// is re-read when it changes: the main configuration is read once at start-up, so rules that must change without a
/// restart live in a file (the operator can mount it from a ConfigMap).
/// </summary>
public sealed class FilterOptions
{
    public List<string> Deny { get; set; } = [];

    public List<string> Allow { get; set; } = [];

    /// <summary>A YAML file with <c>deny</c> and <c>allow</c> lists; replaces the inline lists when set.</summary>
    public string? File { get; set; }

    /// <summary>How often <see cref="File"/> is checked for changes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);
}
