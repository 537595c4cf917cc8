namespace ProxyOperator.Runtime;

/// <summary>Why an informer started a new watch.</summary>
public enum WatchRestartReason
{
    /// <summary>The server ended the stream (its timeout, or a dropped connection).</summary>
    Closed,

    /// <summary>The resourceVersion was compacted away (410 Gone): the informer re-lists.</summary>
    Expired,

    /// <summary>No event or bookmark arrived within the idle timeout: the stream was presumed dead.</summary>
    Idle,

    /// <summary>The request failed or the stream reported an error; resumed after a backoff.</summary>
    Failed,
}
