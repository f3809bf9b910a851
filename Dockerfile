# casefeed's images, from one Dockerfile:
#   docker build -t casefeed .                        # runtime (the default, last stage): what a deployment runs
#   docker build --target dev -t casefeed-dev .       # dev: the full casefeed.jar (demo, local-cloud, kafka, bench)
#   docker run --rm casefeed --help
# The runtime image holds casefeed-runtime.jar: the four components and the operator tools, no broker,
# stand-ins, s3proxy or benchmarks, native libraries for linux/amd64 and linux/arm64 only (docs/deploy.md).

# ---- build: the whole reactor, tests left to CI ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder since Docker 23).
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# ---- base: a JRE and a non-root user, shared by both images ----
FROM eclipse-temurin:17-jre AS base
# curl serves the compose health checks (GET /health).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 casefeed \
 && useradd --system --uid 10001 --gid casefeed --home-dir /home/casefeed --create-home casefeed \
 && mkdir -p /opt/casefeed /etc/casefeed /var/lib/casefeed \
 && chown casefeed:casefeed /var/lib/casefeed
WORKDIR /var/lib/casefeed
# Heap = half the container's memory: the other half is metaspace, threads, direct buffers and, in the
# stream-processor, RocksDB. Measured per component in docs/deploy.md ("Sizing").
ENV TZ=UTC \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -Duser.timezone=UTC -Dfile.encoding=UTF-8"
VOLUME ["/var/lib/casefeed"]

# ---- dev: the full jar, for local-cloud in docker-compose and for trying the demo in a container ----
FROM base AS dev
COPY --from=build /src/app/target/casefeed.jar /opt/casefeed/casefeed.jar
USER casefeed
EXPOSE 8080 4566
ENTRYPOINT ["java", "-jar", "/opt/casefeed/casefeed.jar"]
CMD ["--help"]

# ---- runtime (default): the lean jar, run as a non-root user ----
FROM base AS runtime
COPY --from=build /src/runtime/target/casefeed-runtime.jar /opt/casefeed/casefeed-runtime.jar
USER casefeed
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/casefeed/casefeed-runtime.jar"]
CMD ["--help"]
