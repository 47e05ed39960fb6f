#!/usr/bin/env bash
# Runs the whole test suite. Starts whatever the tests need first (nothing beyond the JDK yet; the
# PostgreSQL and browser tests will add their services here), so this works on a fresh machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# DJL must never reach the network: no model-zoo metadata, no telemetry. Surefire sets both for the forked
# test JVMs too (root pom.xml); exported here as well so any JVM we start inherits them.
export OPT_OUT_TRACKING=true
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dai.djl.offline=true"

exec ./mvnw -B verify "$@"
