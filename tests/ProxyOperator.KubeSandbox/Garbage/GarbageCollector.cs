using System.Text.Json.Nodes;
using ProxyOperator.KubeSandbox.Http;
using ProxyOperator.KubeSandbox.Operations;
using ProxyOperator.KubeSandbox.Storage;

namespace ProxyOperator.KubeSandbox.Garbage;

/// <summary>
/// The garbage collector's rules for ownerReferences (https://kubernetes.io/docs/concepts/architecture/garbage-collection/):
/// a dependent whose owners are all gone is deleted; an owner being deleted in the foreground (finalizer
/// <c>foregroundDeletion</c>) has its dependents deleted and goes once none with <c>blockOwnerDeletion</c> remains.
/// Like kube-controller-manager it runs apart from the request that deleted the owner, shortly after it.
/// </summary>
internal sealed class GarbageCollector : IAsyncDisposable
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private readonly ResourceOperations _operations;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private GarbageCollector(ResourceOperations operations) => _operations = operations;

    /// <summary>Starts collecting in the background until disposed.</summary>
    public static GarbageCollector Start(ResourceOperations operations)
    {
        var collector = new GarbageCollector(operations);
        collector._loop = Task.Run(collector.RunAsync);
        return collector;
    }

    /// <summary>Something changed: look again soon. Cheap, so every write calls it.</summary>
    public void Poke()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping is what we asked for.
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _signal.WaitAsync(_stop.Token);

            // A short pause lets a burst of writes settle into one pass, and makes collection visibly asynchronous.
            await Task.Delay(TimeSpan.FromMilliseconds(20), _stop.Token);
            lock (_operations.Store.Gate)
            {
                for (var pass = 0; pass < 100 && CollectOnce(); pass++)
                {
                }
            }
        }
    }

    /// <summary>One sweep over every object; true when it changed something, so that a cascade goes on.</summary>
    private bool CollectOnce()
    {
        var store = _operations.Store;
        var everything = store.Everything().ToList();
        var live = everything.Select(e => Meta.Uid(e.Object)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var foreground = everything
            .Where(e => Meta.IsDeleting(e.Object) && Meta.Finalizers(e.Object).Contains(ForegroundFinalizer))
            .Select(e => Meta.Uid(e.Object))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        var changedSomething = false;
        foreach (var (group, resource, obj) in everything)
        {
            var owners = Meta.OwnerReferences(obj).Select(r => (string?)r["uid"]).OfType<string>().ToList();
            if (owners.Count == 0 || Meta.IsDeleting(obj))
            {
                continue;
            }

            if (owners.TrueForAll(uid => !live.Contains(uid)) || owners.Exists(foreground.Contains))
            {
                changedSomething |= DeleteDependent(group, resource, obj);
            }
        }

        foreach (var (group, resource, owner) in everything.Where(e => foreground.Contains(Meta.Uid(e.Object) ?? string.Empty)))
        {
            var uid = Meta.Uid(owner);
            var blocked = store.Everything().Any(e => Meta.OwnerReferences(e.Object)
                .Any(r => (string?)r["uid"] == uid && (bool?)r["blockOwnerDeletion"] == true));
            if (!blocked)
            {
                changedSomething |= ReleaseForegroundOwner(group, resource, owner);
            }
        }

        return changedSomething;
    }

    private bool DeleteDependent(string group, string resource, JsonObject obj)
    {
        var definition = _operations.Registry.Find(group, resource);
        if (definition is null)
        {
            return false;
        }

        try
        {
            _operations.Delete(definition, Meta.Namespace(obj), Meta.Name(obj), DeleteOptions.Default);
            return true;
        }
        catch (ApiException)
        {
            // Refused like any client's delete would be (it cannot be here, under the lock, but one bad object
            // must not stop collection for every other).
            return false;
        }
    }

    private bool ReleaseForegroundOwner(string group, string resource, JsonObject owner)
    {
        var definition = _operations.Registry.Find(group, resource);
        if (definition is null)
        {
            return false;
        }

        var updated = owner.DeepClone().AsObject();
        Meta.SetFinalizers(updated, Meta.Finalizers(updated).Where(f => f != ForegroundFinalizer));
        if (Meta.Finalizers(updated).Count == 0)
        {
            _operations.Remove(definition, owner);
        }
        else
        {
            _operations.Store.Put(group, resource, updated, owner);
        }

        return true;
    }
}
