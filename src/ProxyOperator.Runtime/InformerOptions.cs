namespace ProxyOperator.Runtime;

public sealed class InformerOptions
{
    /// <summary>
    /// timeoutSeconds of every watch: the server ends the stream then and the informer resumes it. client-go's
    /// reflector uses 5 to 10 minutes.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A watch that delivers nothing (not even a bookmark) for this long is abandoned and resumed: a half-dead
    /// connection never reaches the server's timeout, and KubernetesClient's watch then hangs silently.
    /// Null: <see cref="WatchTimeout"/> plus 30 seconds.
    /// </summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>First delay after a failed list or watch; doubled per consecutive failure (client-go: 800 ms).</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Cap of the retry delay (client-go's reflector: 30 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Applied to every object before it is cached and handed to handlers, to keep only what they read (controller-
    /// runtime's TransformStripManagedFields: managedFields are almost half of a typical object). Null: as received.
    /// </summary>
    public Func<object, object>? Transform { get; set; }
}
