# syntax=docker/dockerfile:1
# One build stage and two final targets, one per image:
#   docker build --target operator -t proxy-operator .
#   docker build --target goproxy  -t goproxy .
# The final images carry the .NET runtime only (aspnet: both hosts are ASP.NET Core), never the SDK, and run as the
# base images' non-root user (APP_UID 1654, which the operator also sets as the proxy pods' runAsUser).
# No Docker engine runs in CI: tests/ProxyOperator.Build.Tests reads this file's structure and runs the build stage's
# commands against the same context (.dockerignore applied) with the real dotnet.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props .editorconfig ./
# Project files first: the restore layer stays cached until a dependency changes, not on every source edit.
COPY src/ProxyOperator.Modules/ProxyOperator.Modules.csproj src/ProxyOperator.Modules/
COPY src/ProxyOperator.GoProxy/ProxyOperator.GoProxy.csproj src/ProxyOperator.GoProxy/
COPY src/ProxyOperator.Runtime/ProxyOperator.Runtime.csproj src/ProxyOperator.Runtime/
COPY src/ProxyOperator.Operator/ProxyOperator.Operator.csproj src/ProxyOperator.Operator/
RUN dotnet restore src/ProxyOperator.Operator -r linux-x64 \
 && dotnet restore src/ProxyOperator.GoProxy -r linux-x64
COPY src/ src/
# Framework-dependent (the runtime comes from the final stage's base image), with the linux-x64 apphost as entrypoint.
RUN dotnet publish src/ProxyOperator.Operator -c Release -r linux-x64 --self-contained false --no-restore -o /out/operator \
 && dotnet publish src/ProxyOperator.GoProxy -c Release -r linux-x64 --self-contained false --no-restore -o /out/goproxy

# The operator: talks to the API server, serves /metrics /healthz /readyz on 8081 (its --listen default). It writes
# nothing to the file system, so it runs with readOnlyRootFilesystem; the runtime's diagnostic socket goes to /tmp
# (give it an emptyDir there, or set DOTNET_EnableDiagnostics=0).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS operator
WORKDIR /app
COPY --from=build /out/operator ./
USER $APP_UID
EXPOSE 8081
ENTRYPOINT ["/app/proxy-operator"]

# The proxy. Private modules are fetched from VCS by the real `go` command with git, as Athens does, so that zips and
# h1: hashes are exactly what go computes: Debian's golang-go (about 400 MB with its sources) and git.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS goproxy
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git golang-go openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/goproxy ./
# The .NET images ship a non-root "app" user (APP_UID); the store lives on a volume it owns.
RUN mkdir -p /var/cache/goproxy && chown "$APP_UID" /var/cache/goproxy
USER $APP_UID
VOLUME /var/cache/goproxy
EXPOSE 3000
ENTRYPOINT ["/app/goproxy", "--listen", "0.0.0.0:3000", "--storage-dir", "/var/cache/goproxy"]
