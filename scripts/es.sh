#!/usr/bin/env bash
# A throwaway single-node Elasticsearch on 127.0.0.1 for the test suite and benchmarks.
# usage: eval "$(scripts/es.sh start)"   -> prints export lines (ELASTICSEARCH_URL, ES_TMP)
#        scripts/es.sh stop "$ES_TMP"
#        ES_PLUGINS=smartcn scripts/es.sh start   -> a node with the `smartcn` Chinese analyzer (see below)
#        ES_EXPORT_AS=ZH scripts/es.sh start      -> ES_ZH_TMP, ELASTICSEARCH_ZH_URL (a second node)
# The integration-test distribution comes from Maven Central through Maven (no download URL lives here); it has no
# bundled JDK and no analysis plugins, so it runs on the machine's Java 17 and the site's search must cope with the
# built-in analyzers only. Zip and unpacked tree are cached, so only the first start pays for the download.
set -euo pipefail
ES_VERSION=${BANGBAN_ES_VERSION:-8.19.21}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/bangban/elasticsearch
DIST="$CACHE/elasticsearch-$ES_VERSION"

# Elasticsearch refuses to run as root; use the same unprivileged service account as pg.sh then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id bangban >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/bangban --shell /bin/bash bangban
    runuser -u bangban -- "$@"
  else
    "$@"
  fi
}

fetch_distribution() {
  [ -x "$DIST/bin/elasticsearch" ] && return 0
  for tool in mvn unzip curl; do
    command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install maven unzip curl)" >&2; exit 1; }
  done
  mkdir -p "$CACHE"
  # Two suites starting at once must not unpack over each other. The lock lives in a subshell so the node started
  # later does not inherit (and hold) it.
  (
    flock 9
    [ -x "$DIST/bin/elasticsearch" ] && exit 0
    zip="$CACHE/elasticsearch-$ES_VERSION.zip"
    if [ ! -s "$zip" ]; then
      echo "==> fetching the Elasticsearch $ES_VERSION integration-test distribution with Maven" >&2
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      # Run outside any project so a pom.xml in the current directory cannot change what Maven resolves.
      (cd "$work" && mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        "-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
        "-DoutputDirectory=$work/out" >"$work/mvn.log" 2>&1) \
        || { cat "$work/mvn.log" >&2; echo "Maven could not fetch Elasticsearch $ES_VERSION" >&2; exit 1; }
      mv "$work/out/elasticsearch-$ES_VERSION.zip" "$zip.part" && mv "$zip.part" "$zip"
    fi
    echo "==> unpacking $zip" >&2
    unpack=$(mktemp -d "$CACHE/unpack.XXXXXX")
    unzip -q "$zip" -d "$unpack"
    mv "$unpack/elasticsearch-$ES_VERSION" "$DIST"
    rm -rf "$unpack"
  ) 9>"$CACHE/.lock"
}

# The `smartcn` analyzer as a node plugin, built here: Lucene's SmartChineseAnalyzer (from Maven Central, the
# version of the node's own Lucene) behind the small plugin class in search/es/smartcn. Elastic's own
# analysis-smartcn plugin is not published to Maven Central; this one gives the analyzer the same name.
# Built once per Elasticsearch version and plugin source, then cached.
SMARTCN_SRC="$(cd "$(dirname "$0")/.." && pwd)/search/es/smartcn"
smartcn_plugin() {
  local lucene sum out work
  lucene=$(basename "$(ls "$DIST"/lib/lucene-core-*.jar)" .jar); lucene=${lucene#lucene-core-}
  sum=$(cat "$SMARTCN_SRC"/plugin-descriptor.properties "$SMARTCN_SRC"/src/bangban/smartcn/*.java | sha256sum | cut -c1-12)
  out="$CACHE/plugins/bangban-analysis-smartcn-$ES_VERSION-$sum"
  if [ ! -s "$out/plugin-descriptor.properties" ]; then
    command -v javac >/dev/null || { echo "javac not found (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
    echo "==> building the smartcn analyzer plugin (Lucene $lucene)" >&2
    work=$(mktemp -d)
    (cd "$work" && mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=org.apache.lucene:lucene-analysis-smartcn:$lucene:jar" "-DoutputDirectory=$work/plugin" \
      >"$work/mvn.log" 2>&1) \
      || { cat "$work/mvn.log" >&2; echo "Maven could not fetch lucene-analysis-smartcn $lucene" >&2; rm -rf "$work"; exit 1; }
    mkdir -p "$work/classes"
    javac -nowarn -d "$work/classes" -cp "$DIST/lib/*:$work/plugin/*" "$SMARTCN_SRC"/src/bangban/smartcn/*.java >&2
    jar cf "$work/plugin/bangban-analysis-smartcn.jar" -C "$work/classes" .
    sed "s/@ES_VERSION@/$ES_VERSION/" "$SMARTCN_SRC/plugin-descriptor.properties" >"$work/plugin/plugin-descriptor.properties"
    mkdir -p "$CACHE/plugins"
    rm -rf "$out.part" && mv "$work/plugin" "$out.part" && mv "$out.part" "$out"
    rm -rf "$work"
  fi
  echo "$out"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "${1:-}" in
  start)
    fetch_distribution
    # ES_EXPORT_AS=ZH prints ES_ZH_TMP and ELASTICSEARCH_ZH_URL instead, for a second node beside the first.
    suffix=${ES_EXPORT_AS:+_$ES_EXPORT_AS}
    if [ -z "${ES_JAVA_HOME:-}" ]; then
      java=$(command -v java) || { echo "Java not found (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
      ES_JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$java")")")
    fi
    tmp=$(mktemp -d /tmp/bangban-es.XXXXXX)
    chmod 755 "$tmp"
    # The cache sits under root's private home, which the service account cannot enter: give it its own copy.
    # Hard links make that copy instant; the files stay root's and read-only to the node.
    cp -al "$DIST" "$tmp/home" 2>/dev/null || cp -a "$DIST" "$tmp/home"
    cp -a "$DIST/config" "$tmp/config"
    for plugin in ${ES_PLUGINS:-}; do
      case "$plugin" in
        smartcn)
          built=$(smartcn_plugin) || { "$0" stop "$tmp"; exit 1; }
          cp -a "$built" "$tmp/home/plugins/bangban-analysis-smartcn" ;;
        *) echo "unknown plugin $plugin (known: smartcn)" >&2; "$0" stop "$tmp"; exit 2 ;;
      esac
    done
    mkdir -p "$tmp/data" "$tmp/logs" "$tmp/tmp" "$tmp/run"
    # Fixed heap (ES_HEAP, default 1g), as Elastic advises. At 512m the young generation filled every dozen or so
    # searches: garbage collection took ~0.17 ms per search and the node ~7% more CPU per search than at 1g.
    heap=${ES_HEAP:-1g}
    port=$(free_port)
    transport_port=$(free_port)
    cat >>"$tmp/config/elasticsearch.yml" <<EOF
cluster.name: bangban-test
node.name: bangban-test-node
# master + data only: no ingest pipelines, machine learning or transforms on a test node.
node.roles: [master, data]
path.data: $tmp/data
path.logs: $tmp/logs
network.host: 127.0.0.1
http.port: $port
transport.port: $transport_port
# Single node on loopback: no cluster formation and no production bootstrap checks.
discovery.type: single-node
xpack.security.enabled: false
# A nearly full CI disk must not turn the test indices read-only, nor hold merges back (a force merge would wait
# for as long as the disk stays full). 0 turns the merge scheduler's disk check off (Elasticsearch 8.19 and later).
cluster.routing.allocation.disk.threshold_enabled: false
indices.merge.disk.check_interval: 0
EOF
    # The node writes its keystore into the config dir; data, logs and temp files are its own.
    [ "$(id -u)" -eq 0 ] && { as_owner true; chown -R bangban "$tmp/config" "$tmp/data" "$tmp/logs" "$tmp/tmp" "$tmp/run"; }
    as_owner env ES_JAVA_HOME="$ES_JAVA_HOME" ES_PATH_CONF="$tmp/config" ES_TMPDIR="$tmp/tmp" \
      ES_JAVA_OPTS="-Xms$heap -Xmx$heap" \
      "$tmp/home/bin/elasticsearch" -d -p "$tmp/run/es.pid" >"$tmp/startup.log" 2>&1 \
      || { cat "$tmp/startup.log" >&2; "$0" stop "$tmp"; exit 1; }
    pid=$(cat "$tmp/run/es.pid")
    for _ in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null; then
        echo "export ES${suffix}_TMP=$tmp"
        echo "export ELASTICSEARCH${suffix}_URL=http://127.0.0.1:$port"
        echo "==> Elasticsearch $ES_VERSION on 127.0.0.1:$port (data in $tmp)" >&2
        exit 0
      fi
      sleep 0.5
    done
    echo "Elasticsearch did not become healthy; last log lines:" >&2
    tail -n 50 "$tmp/logs/bangban-test.log" >&2 2>/dev/null || true
    "$0" stop "$tmp"
    exit 1
    ;;
  stop)
    tmp=${2:?usage: es.sh stop DIR}
    if [ -s "$tmp/run/es.pid" ]; then
      pid=$(cat "$tmp/run/es.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    case "$tmp" in /tmp/bangban-es.*) rm -rf "$tmp" ;; *) echo "not an es.sh directory: $tmp" >&2; exit 2 ;; esac
    echo "==> Elasticsearch stopped and removed" >&2
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
