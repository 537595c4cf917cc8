using Microsoft.Extensions.DependencyInjection;
using ProxyOperator.GoProxy.Configuration;

namespace ProxyOperator.GoProxy.Caching.Locks;

public static class FetchLockServices
{
    /// <summary>Registers the <see cref="IFetchLock"/> the <c>lock</c> section names.</summary>
    public static IServiceCollection AddFetchLock(this IServiceCollection services, LockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type == LockType.Redis
            ? services.AddSingleton<IFetchLock, RedisFetchLock>()
            : services.AddSingleton<IFetchLock, LocalFetchLock>();
    }
}
