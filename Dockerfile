# Builds the Groundwork jars and runs rag-api. Used by docker-compose.yml.
FROM eclipse-temurin:17-jdk AS build
# gcc builds rag-model's native decode kernels (without it decoding falls back to DJL, a third slower)
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY rag-model/pom.xml rag-model/
COPY rag-ingest/pom.xml rag-ingest/
COPY rag-api/pom.xml rag-api/
RUN ./mvnw -q -B dependency:go-offline -DexcludeGroupIds=dev.groundwork || true
COPY rag-model/src rag-model/src
COPY rag-ingest/src rag-ingest/src
COPY rag-api/src rag-api/src
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/rag-api/target/rag-api.jar /app/rag-api.jar
COPY --from=build /src/rag-ingest/target/rag-ingest.jar /app/rag-ingest.jar
# DJL must never reach the network: no model-zoo metadata, no telemetry.
ENV OPT_OUT_TRACKING=true \
    JAVA_TOOL_OPTIONS="-Dai.djl.offline=true"
VOLUME ["/data", "/docs"]
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/rag-api.jar", "--rag.data-dir=/data"]
