using ProxyOperator.Operator.Api;

namespace ProxyOperator.Operator.Status;

/// <summary>
/// One proxy pod after a poll: the entry for <c>status.proxies[]</c>, and what the pod answered, or null when it
/// was not asked (not ready, no IP yet) or gave no readable answer.
/// </summary>
public sealed record PolledProxy(ProxyReport Report, ProxyStatusAnswer? Answer);
