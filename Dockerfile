# casefeed: one image for every component (casefeed <subcommand>) and for local-cloud.
#   docker build -t casefeed .
#   docker run --rm casefeed --help

# ---- build: the whole reactor, tests left to CI ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder since Docker 23).
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# ---- runtime: a JRE and the one jar, run as a non-root user ----
FROM eclipse-temurin:17-jre
# curl serves the compose health checks (GET /health).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 casefeed \
 && useradd --system --uid 10001 --gid casefeed --home-dir /home/casefeed --create-home casefeed \
 && mkdir -p /opt/casefeed /etc/casefeed /var/lib/casefeed \
 && chown casefeed:casefeed /var/lib/casefeed
COPY --from=build /src/app/target/casefeed.jar /opt/casefeed/casefeed.jar
USER casefeed
WORKDIR /var/lib/casefeed
ENV TZ=UTC \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Duser.timezone=UTC -Dfile.encoding=UTF-8"
VOLUME ["/var/lib/casefeed"]
EXPOSE 8080 4566
ENTRYPOINT ["java", "-jar", "/opt/casefeed/casefeed.jar"]
CMD ["--help"]
