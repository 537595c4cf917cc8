using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProxyOperator.Runtime;

/// <summary>
/// Wires informers to a <see cref="WorkQueue"/> and runs a reconcile delegate on N workers, as controller-runtime's
/// controller does: events of the primary resource enqueue its key; events of owned objects enqueue the key of
/// their controlling owner (<c>handler.EnqueueRequestForOwner</c> with <c>OnlyControllerOwner</c>). Failed keys are
/// retried with backoff forever; successful ones come back after <see cref="ControllerOptions.ResyncPeriod"/>.
/// The controller runs the informers given to it; do not share one informer between controllers.
/// </summary>
public sealed class Controller<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> _primary;
    private readonly List<Func<CancellationToken, Task>> _informerRuns = [];
    private readonly List<Func<CancellationToken, Task>> _informerSyncs = [];
    private readonly Func<ReconcileRequest, CancellationToken, Task<ReconcileResult>> _reconcile;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly IControllerMetrics _metrics;
    private readonly TimeProvider _clock;
    private int _started;

    public Controller(
        Informer<T> primary,
        Func<ReconcileRequest, CancellationToken, Task<ReconcileResult>> reconcile,
        ControllerOptions? options = null,
        ILogger? logger = null,
        IControllerMetrics? metrics = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(reconcile);
        _primary = primary;
        _reconcile = reconcile;
        _options = options ?? new ControllerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Workers, 1);
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? NullControllerMetrics.Instance;
        _clock = clock ?? TimeProvider.System;
        Queue = new WorkQueue(_options.Queue, _clock, depth => _metrics.QueueDepthChanged(_options.Name, depth));
        primary.Subscribe(change =>
        {
            if (change.Type != ResourceEventType.Updated || change.Previous is not { } previous || Matters(previous, change.Current))
            {
                Queue.Add(ObjectKey.Of(change.Current));
            }
        });
        AddInformer(primary);
    }

    public string Name => _options.Name;

    /// <summary>
    /// Whether an update of the primary resource needs a reconcile: its spec (generation), deletion, finalizers, labels
    /// or annotations changed. A status-only update does not: the reconciler's own status writes would otherwise
    /// requeue it at once, for ever (controller-runtime's GenerationChangedPredicate); the periodic resync refreshes
    /// status instead. Kinds without a generation (ConfigMaps) cannot tell, so every update of theirs matters.
    /// </summary>
    internal static bool Matters(T previous, T current)
    {
        var (before, after) = (previous.Metadata, current.Metadata);
        if (before is null || after is null || (before.Generation ?? 0) == 0 || (after.Generation ?? 0) == 0)
        {
            return true;
        }

        return before.Generation != after.Generation
            || before.DeletionTimestamp != after.DeletionTimestamp
            || !SameList(before.Finalizers, after.Finalizers)
            || !SameMap(before.Labels, after.Labels)
            || !SameMap(before.Annotations, after.Annotations);
    }

    private static bool SameList(IList<string>? a, IList<string>? b) => (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(kv => b is not null && b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>The primary resource's informer: reconcilers may read its cache instead of the API server.</summary>
    public Informer<T> Informer => _primary;

    /// <summary>The controller's queue: its depth and retries are worth exporting.</summary>
    public WorkQueue Queue { get; }

    /// <summary>
    /// Reconciles the owner when an object of <paramref name="owned"/> changes: the owner named by the object's
    /// ownerReference with <c>controller: true</c> and the given apiVersion and kind, in the object's namespace.
    /// Call before <see cref="RunAsync"/>.
    /// </summary>
    public Controller<T> Owns<TOwned>(Informer<TOwned> owned, string ownerApiVersion, string ownerKind)
        where TOwned : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(owned);
        owned.Subscribe(change =>
        {
            EnqueueOwner(change.Current, ownerApiVersion, ownerKind);

            // An update that moved the object to another owner must reconcile the old owner too.
            if (change.Previous is { } old)
            {
                EnqueueOwner(old, ownerApiVersion, ownerKind);
            }
        });
        AddInformer(owned);
        return this;
    }

    /// <summary>
    /// Runs informers and workers until <paramref name="cancellationToken"/> is cancelled, then cancels the running
    /// reconciles, waits for them and returns. Throws what an informer or the runtime failed with (a bug).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException($"controller {Name} is already running");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informers = _informerRuns.Select(run => run(stopping.Token)).ToList();
        var workers = new List<Task>();
        try
        {
            // controller-runtime waits for every cache to sync before the first reconcile: a reconcile must not
            // conclude from a half-filled cache that an owned object is missing.
            var synced = Task.WhenAll(_informerSyncs.Select(sync => sync(stopping.Token)));
            var informersEnded = Task.WhenAll(informers);
            if (await Task.WhenAny(synced, informersEnded).ConfigureAwait(false) != synced)
            {
                // Informers only end on cancellation or by throwing a bug: surface it.
                await informersEnded.ConfigureAwait(false);
                return;
            }

            await synced.ConfigureAwait(false);
            RuntimeLog.ControllerStarted(_logger, Name, _options.Workers);
            for (var i = 0; i < _options.Workers; i++)
            {
                workers.Add(WorkAsync(stopping.Token));
            }

            // Returns when the token is cancelled, or throws when an informer or a worker failed.
            await Task.WhenAll([.. informers, .. workers]).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            Queue.ShutDown();
            await Task.WhenAll([.. informers, .. workers]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            RuntimeLog.ControllerStopped(_logger, Name);
        }
    }

    private void AddInformer<TObject>(Informer<TObject> informer)
        where TObject : class, IKubernetesObject<V1ObjectMeta>
    {
        _informerRuns.Add(informer.RunAsync);
        _informerSyncs.Add(informer.WaitForSyncAsync);
    }

    private void EnqueueOwner(IKubernetesObject<V1ObjectMeta> obj, string ownerApiVersion, string ownerKind)
    {
        foreach (var owner in obj.Metadata?.OwnerReferences ?? [])
        {
            if (owner.Controller == true && owner.Kind == ownerKind && SameGroup(owner.ApiVersion, ownerApiVersion))
            {
                Queue.Add(new ObjectKey(obj.Metadata?.NamespaceProperty ?? string.Empty, owner.Name));
            }
        }
    }

    /// <summary>
    /// Owner references match by group, not version: an object written by an operator on v1alpha1 still belongs to
    /// the same owner served as v1beta1 (controller-runtime compares the group of the GroupVersionKind).
    /// </summary>
    private static bool SameGroup(string? apiVersion, string expected)
    {
        static string Group(string? value) => value?.LastIndexOf('/') is int slash and >= 0 ? value[..slash] : string.Empty;
        return Group(apiVersion) == Group(expected);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        // Let the caller's loop start the next worker at once.
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested && await Queue.GetAsync(cancellationToken).ConfigureAwait(false) is { } key)
        {
            try
            {
                await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private async Task ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await _reconcile(new ReconcileRequest(key), cancellationToken).ConfigureAwait(false);
            Queue.Forget(key);
            if (result.RequeueAfter is { } delay && delay > TimeSpan.Zero)
            {
                Queue.AddAfter(key, delay);
                _metrics.Reconciled(Name, ReconcileOutcome.Requeue, Stopwatch.GetElapsedTime(started));
                return;
            }

            if (_options.ResyncPeriod is { } resync && resync > TimeSpan.Zero && _primary.Get(key) is not null)
            {
                Queue.AddAfter(key, resync);
            }

            _metrics.Reconciled(Name, ReconcileOutcome.Success, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the reconcile was interrupted, not failed.
        }
#pragma warning disable CA1031 // A reconcile failure of any kind is retried with backoff and logged with its exception, never dropped: controller-runtime does the same with the error a Reconciler returns.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Queue.AddRateLimited(key);
            _metrics.Retried(Name);
            _metrics.Reconciled(Name, ReconcileOutcome.Error, Stopwatch.GetElapsedTime(started));
            RuntimeLog.ReconcileFailed(_logger, Name, key.ToString(), Queue.NumRequeues(key), e);
        }
    }
}
