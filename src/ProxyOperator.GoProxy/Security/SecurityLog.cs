using Microsoft.Extensions.Logging;

namespace ProxyOperator.GoProxy.Security;

/// <summary>
/// Log lines of client authentication and TLS. None carries a credential or user name: a wrong one is often a real
/// secret for something else, and a user name typed into the password field is a password.
/// </summary>
internal static partial class SecurityLog
{
    [LoggerMessage(9100, LogLevel.Information, "{Method} {Path} from {RemoteAddress} refused: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string method, string path, string remoteAddress, string reason);

    [LoggerMessage(9101, LogLevel.Warning, "auth credentials file cannot be used, keeping the last good one: {Reason}")]
    public static partial void CredentialsReloadFailed(ILogger logger, string reason);

    [LoggerMessage(9102, LogLevel.Information, "auth credentials reloaded: {Count} entries")]
    public static partial void CredentialsReloaded(ILogger logger, int count);

    [LoggerMessage(9110, LogLevel.Warning, "TLS certificate cannot be used, keeping the last good one: {Reason}")]
    public static partial void CertificateReloadFailed(ILogger logger, string reason);

    [LoggerMessage(9111, LogLevel.Information, "TLS certificate loaded: subject {Subject}, serial {Serial}, expires {NotAfter:O}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string serial, DateTimeOffset notAfter);
}
