# syntax=docker/dockerfile:1
# One build stage, one final target per image. `goproxy` is the proxy; the operator's target arrives with the operator.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/ProxyOperator.GoProxy -c Release -o /out/goproxy /p:UseAppHost=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS goproxy
WORKDIR /app
COPY --from=build /out/goproxy ./
# The .NET images ship a non-root "app" user (APP_UID); the store lives on a volume it owns.
RUN mkdir -p /var/cache/goproxy && chown "$APP_UID" /var/cache/goproxy
USER $APP_UID
VOLUME /var/cache/goproxy
EXPOSE 3000
ENTRYPOINT ["/app/goproxy", "--listen", "0.0.0.0:3000", "--storage-dir", "/var/cache/goproxy"]
