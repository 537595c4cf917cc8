using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ProxyOperator.GoProxy.Configuration;

/// <summary>Where artifacts are kept.</summary>
public enum StorageType
{
    /// <summary>A folder (<c>storageDir</c>): a PVC, or an emptyDir for an ephemeral cache.</summary>
    Disk,

    /// <summary>An S3-compatible bucket shared by every replica.</summary>
    S3,
}

/// <summary>
/// The <c>storage</c> section. <c>storageDir</c> stays a top-level key (it predates this section and
/// <c>--storage-dir</c> sets it), so existing configurations keep working unchanged.
/// </summary>
public sealed class StorageOptions
{
    /// <summary><c>disk</c> (default) or <c>s3</c>; matched without regard to case, as the operator writes <c>S3</c>.</summary>
    public StorageType Type { get; set; } = StorageType.Disk;

    [ValidateObjectMembers]
    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>
    /// Bound on stored info, mod and zip bytes, as bytes or a Kubernetes quantity (<c>40Gi</c>); unset means no
    /// eviction. Over it, least-recently-used versions are removed (info+mod+zip together) down to 90% of it.
    /// </summary>
    public string? MaxSize { get; set; }

    /// <summary>How often usage is checked against <see cref="MaxSize"/> besides after each commit.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan EvictionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><see cref="MaxSize"/> in bytes, or null when eviction is off.</summary>
    internal long? MaxBytes => ByteQuantity.TryParse(MaxSize, out var bytes, out _) ? bytes : null;

    /// <summary>What data annotations cannot say; empty when the section is usable.</summary>
    internal IEnumerable<string> Problems()
    {
        if (MaxSize is not null && !ByteQuantity.TryParse(MaxSize, out _, out var sizeError))
        {
            yield return $"storage.maxSize: {sizeError}";
        }

        if (Type != StorageType.S3)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(S3.Bucket))
        {
            yield return "storage.s3.bucket is required when storage.type is s3";
        }

        if (S3.Endpoint is { Length: > 0 } endpoint &&
            (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return $"storage.s3.endpoint \"{endpoint}\" must be an http:// or https:// URL";
        }

        var hasKeyId = !string.IsNullOrEmpty(S3.AccessKeyIdFile);
        var hasSecret = !string.IsNullOrEmpty(S3.SecretAccessKeyFile);
        if (hasKeyId != hasSecret)
        {
            yield return "storage.s3.accessKeyIdFile and storage.s3.secretAccessKeyFile go together: set both or neither";
        }

        foreach (var (name, file) in new[] { ("accessKeyIdFile", S3.AccessKeyIdFile), ("secretAccessKeyFile", S3.SecretAccessKeyFile) })
        {
            if (file is { Length: > 0 } && ReadProblem(file) is { } problem)
            {
                yield return $"storage.s3.{name} \"{file}\" cannot be read: {problem}";
            }
        }
    }

    /// <summary>A credential file's content without the trailing newline that <c>kubectl create secret --from-file</c> keeps.</summary>
    internal static string ReadSecretFile(string file) => File.ReadAllText(file).TrimEnd('\r', '\n');

    private static string? ReadProblem(string file)
    {
        try
        {
            return ReadSecretFile(file).Length == 0 ? "the file is empty" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}

/// <summary>
/// An S3-compatible bucket. Credentials are read from files (the operator mounts its Secret, keys
/// <c>accessKeyId</c> and <c>secretAccessKey</c>, under <c>/var/run/secrets/goproxy/s3</c>); without them the AWS
/// SDK's default chain applies (environment, web identity / IRSA, instance profile).
/// </summary>
public sealed class S3StorageOptions
{
    public string? Bucket { get; set; }

    /// <summary>Key prefix inside the bucket, e.g. <c>goproxy/</c>; several proxies can share one bucket.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Service URL of a non-AWS server (MinIO, Ceph, R2 ...); empty means AWS itself, by region.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Region requests are signed for (and, without an endpoint, the AWS region addressed).</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary><c>endpoint/bucket/key</c> instead of <c>bucket.endpoint/key</c>; most self-hosted servers need it.</summary>
    public bool ForcePathStyle { get; set; }

    public string? AccessKeyIdFile { get; set; }

    public string? SecretAccessKeyFile { get; set; }
}
