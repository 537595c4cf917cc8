using System.Security.Cryptography;

namespace ProxyOperator.GoProxy.Security;

/// <summary>
/// A value parsed from mounted Secret files, re-read at most once per <c>interval</c> and re-parsed when their bytes
/// change. Content is compared, not modification times or inodes: Kubernetes updates a Secret volume by writing a new
/// timestamped folder and swapping the <c>..data</c> symlink, so the visible path never changes and a watcher on it
/// sees nothing; reading a few hundred bytes once a second is cheaper than getting that right.
/// If the files become unreadable or unusable, the last good value stays (and <c>onFailure</c> says why).
/// </summary>
public sealed class ReloadingFiles<T>(
    IReadOnlyList<string> files,
    Func<IReadOnlyList<byte[]>, T> parse,
    TimeSpan interval,
    TimeProvider time,
    Action<string>? onFailure = null)
    where T : class
{
    private readonly Lock _gate = new();
    private T? _current;
    private byte[]? _fingerprint;
    private long _checkedAt = long.MinValue;
    private string? _lastFailure;

    /// <summary>The current value, after a re-read if the last one is older than the interval.</summary>
    /// <exception cref="IOException">the files have never been readable.</exception>
    public T Current
    {
        get
        {
            var now = time.GetTimestamp();
            if (_current is { } fresh && time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) < interval)
            {
                return fresh;
            }

            lock (_gate)
            {
                if (_current is null || time.GetElapsedTime(_checkedAt, now) >= interval)
                {
                    Reload();
                    Volatile.Write(ref _checkedAt, now);
                }

                return _current ?? throw new IOException(_lastFailure ?? "cannot be read");
            }
        }
    }

    private void Reload()
    {
        byte[][] contents;
        try
        {
            contents = files.Select(File.ReadAllBytes).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e.Message.ReplaceLineEndings(" "));
            return;
        }

        var fingerprint = SHA256.HashData(contents.SelectMany(c => SHA256.HashData(c)).ToArray());
        if (_fingerprint is not null && fingerprint.AsSpan().SequenceEqual(_fingerprint))
        {
            return;
        }

        T parsed;
        try
        {
            parsed = parse(contents);
        }
        catch (Exception e) when (e is InvalidDataException or CryptographicException or ArgumentException)
        {
            Fail(e.Message.ReplaceLineEndings(" "));
            return;
        }

        var previous = _current;
        _current = parsed;
        _fingerprint = fingerprint;
        _lastFailure = null;
        // A replaced certificate may still be in a handshake on another thread: left to the finalizer, not disposed.
        _ = previous;
    }

    private void Fail(string reason)
    {
        // Said once per distinct failure, not once per request.
        if (reason != _lastFailure)
        {
            _lastFailure = reason;
            onFailure?.Invoke(reason);
        }
    }
}
