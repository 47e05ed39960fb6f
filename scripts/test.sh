#!/usr/bin/env bash
# Runs the whole test suite. Starts whatever the tests need first, so this works on a fresh machine:
# a throwaway PostgreSQL + pgvector (scripts/postgres.sh) unless GROUNDWORK_TEST_JDBC_URL names one already.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# DJL must never reach the network: no model-zoo metadata, no telemetry. Surefire sets both for the forked
# test JVMs too (root pom.xml); exported here as well so any JVM we start inherits them.
export OPT_OUT_TRACKING=true
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dai.djl.offline=true"

# One server for the whole run; the tests make a database each. In CI a server that cannot start is an error
# (the PostgreSQL tests must run there); locally they are skipped with a message instead.
if [[ -z ${GROUNDWORK_TEST_JDBC_URL:-} ]]; then
    pg_dir=$(mktemp -d -t groundwork-test-pg.XXXXXX)
    if url=$(scripts/postgres.sh start "$pg_dir"); then
        export GROUNDWORK_TEST_JDBC_URL=$url
        trap 'scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
    elif [[ ${CI:-} == true ]]; then
        echo "test.sh: cannot start PostgreSQL, which CI requires" >&2
        exit 1
    else
        rm -rf "$pg_dir"
        echo "test.sh: no PostgreSQL; its integration tests will be skipped" >&2
    fi
fi

./mvnw -B verify "$@"
