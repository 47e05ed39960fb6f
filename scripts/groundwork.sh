#!/usr/bin/env bash
# Runs Groundwork on its embedded default (Lucene index in a data folder; no PostgreSQL, no GPU, no download).
#
#   scripts/groundwork.sh serve [--docs DIR] [--collection NAME] [--data-dir DIR] [--port N]
#       builds the jars when they are missing or older than the sources, ingests DIR (default: examples/docs)
#       into the collection (default: "default"), then serves http://localhost:PORT (default 8080).
#   scripts/groundwork.sh ingest DIR [--collection NAME] [--data-dir DIR]
#   scripts/groundwork.sh build
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# DJL must never reach the network: no model-zoo metadata, no telemetry.
export OPT_OUT_TRACKING=true
java_opts=(-Dai.djl.offline=true ${GROUNDWORK_JAVA_OPTS:-})

build_if_needed() {
  local newest_source jar
  newest_source=$(find pom.xml */pom.xml */src/main -type f -newer rag-api/target/rag-api.jar 2>/dev/null | head -n 1 || true)
  if [[ ! -f rag-api/target/rag-api.jar || ! -f rag-ingest/target/rag-ingest.jar || -n "$newest_source" ]]; then
    echo "Building Groundwork (./mvnw -DskipTests package)..." >&2
    ./mvnw -q -B -DskipTests package
  fi
}

cmd=${1:-serve}
[[ $# -gt 0 ]] && shift

docs=examples/docs
collection=default
data_dir=data
port=8080
extra=()
positional=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --docs) docs=$2; shift 2 ;;
    --collection) collection=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --) shift; extra+=("$@"); break ;;
    -*) extra+=("$1"); shift ;;
    *) positional+=("$1"); shift ;;
  esac
done

case "$cmd" in
  build)
    ./mvnw -q -B -DskipTests package ;;
  ingest)
    build_if_needed
    dir=${positional[0]:-$docs}
    java "${java_opts[@]}" -jar rag-ingest/target/rag-ingest.jar ingest "$dir" \
      --collection "$collection" --data-dir "$data_dir" "${extra[@]}" ;;
  serve)
    build_if_needed
    if [[ -n "$docs" ]]; then
      # A failed file is reported by the ingest summary; the service still starts over what was ingested.
      java "${java_opts[@]}" -jar rag-ingest/target/rag-ingest.jar ingest "$docs" \
        --collection "$collection" --data-dir "$data_dir" || echo "Some files failed to ingest (see above)." >&2
    fi
    echo "Serving http://localhost:$port over $data_dir" >&2
    exec java "${java_opts[@]}" -jar rag-api/target/rag-api.jar --rag.data-dir="$data_dir" \
      --server.port="$port" "${extra[@]}" ;;
  *)
    echo "usage: scripts/groundwork.sh serve|ingest|build [options]" >&2; exit 2 ;;
esac
