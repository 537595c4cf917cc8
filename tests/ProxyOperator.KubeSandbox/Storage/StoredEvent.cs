using System.Text.Json.Nodes;

namespace ProxyOperator.KubeSandbox.Storage;

/// <summary>
/// One change to a resource, kept for watches. <see cref="Previous"/> is the object before the change, so a watch with a
/// selector can tell an object leaving its selection (sent as DELETED) from one changing inside it.
/// Objects in events are never mutated: every write stores a fresh copy.
/// </summary>
internal sealed record StoredEvent(string Type, JsonObject Object, JsonObject? Previous, long ResourceVersion);
