# shellcheck shell=bash
# strata's benchmark harness: the same workload with strata and with an anchor tool, alternating,
# RUNS times each, medians and the ratio strata/anchor. The workload data (generated tree,
# Dockerfiles) are the baseline's own (bench/workload, see its README), so ratios compare like with
# like. Source this file; do not run it.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKLOAD=$REPO/bench/workload
BENCH_WORK=${BENCH_WORK:-/tmp/strata-bench}
RESULTS=${RESULTS:-$BENCH_WORK/results.tsv}
LOG=${LOG:-$BENCH_WORK/bench.log}
REG_ADDR=${REG_ADDR:-127.0.0.1:5000}
DOCKER=${DOCKER:-/usr/bin/docker}
RUNTIME=${RUNTIME:-runc}
TREE_FILES=${TREE_FILES:-20000}
TREE_BYTES=${TREE_BYTES:-209715200}
TREE_SEED=${TREE_SEED:-42}
# podman asks runc for RLIMIT_NOFILE=1048576 by default, which this VM refuses: stay at the host's limits.
PODMAN_ULIMITS="--ulimit nofile=$(ulimit -Hn):$(ulimit -Hn) --ulimit nproc=32768:32768"
CTX=$BENCH_WORK/ctx            # W1 build context: Dockerfile, busybox, src/
BASE_CTX=$BENCH_WORK/base-ctx  # base image context
REG_DIR=$BENCH_WORK/registry   # the anchor registry's config, storage and log
IMG_BASE=localhost/strata-bench/base:latest
IMG_W1=localhost/strata-bench/w1:latest
IMG_W1B=localhost/strata-bench/w1:v2  # shares all but the last layer with IMG_W1
W3_FILE=src/d000/d00/f000000.dat      # the one file W3 edits
mkdir -p "$BENCH_WORK"
case "$REG_ADDR" in
  127.*|localhost:*) ;;
  *) echo "REG_ADDR must be a loopback address, got $REG_ADDR" >&2; exit 2 ;;
esac

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
die() { log "FATAL: $*"; exit 1; }
now() { echo "$EPOCHREALTIME"; }
du_k() { du -skx "$1" 2>/dev/null | awk '{print $1}'; }

# stats T1 T2 ... -> "median min max" (3 decimals)
stats() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {
    if (NR==0) {print "NA NA NA"; exit}
    m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2;
    printf "%.3f %.3f %.3f\n", m, a[1], a[NR] }'
}

# record WORKLOAD CASE TOOL N MEDIAN MIN MAX UNIT EXTRA NOTE: one TSV row per measurement
record() {
  [ -s "$RESULTS" ] || printf 'workload\tcase\ttool\tn\tmedian\tmin\tmax\tunit\textra\tnote\n' >"$RESULTS"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
  log "RESULT $1/$2 [$3] n=$4 median=$5 min=$6 max=$7 $8 ${9} ${10}"
}

# The generated tree and both build contexts (deterministic; made once).
ensure_tree() {
  local stamp=$CTX/.tree-$TREE_FILES-$TREE_BYTES-$TREE_SEED
  if [ ! -f "$stamp" ]; then
    log "generating source tree ($TREE_FILES files, $TREE_BYTES bytes, seed $TREE_SEED)"
    rm -rf "$CTX/src"; mkdir -p "$CTX"
    python3 "$WORKLOAD/gen-tree.py" --files "$TREE_FILES" --bytes "$TREE_BYTES" --seed "$TREE_SEED" "$CTX/src" >>"$LOG"
    touch "$stamp"
  fi
  [ -f "$CTX/.w3-orig" ] || cp "$CTX/$W3_FILE" "$CTX/.w3-orig"
  [ -f "$CTX/busybox" ] || cp /bin/busybox "$CTX/busybox"
  cp "$WORKLOAD/Dockerfile.w1" "$CTX/Dockerfile"
  cp "$WORKLOAD/Dockerfile.w1b" "$CTX/Dockerfile.v2"
  mkdir -p "$BASE_CTX"
  [ -f "$BASE_CTX/busybox" ] || cp /bin/busybox "$BASE_CTX/busybox"
  cp "$WORKLOAD/Dockerfile.base" "$BASE_CTX/Dockerfile"
}
restore_tree() {
  if [ -f "$CTX/.w3-orig" ]; then cp "$CTX/.w3-orig" "$CTX/$W3_FILE"; touch -d @1600000000 "$CTX/$W3_FILE"; fi
}

# The base and W1 images in the bench's dockerd (built untimed when missing).
ensure_base() {
  ensure_tree
  "$DOCKER" image inspect "$IMG_BASE" >/dev/null 2>&1 ||
    DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$IMG_BASE" "$BASE_CTX" >>"$LOG" 2>&1
}
ensure_w1() {
  ensure_base
  restore_tree
  "$DOCKER" image inspect "$IMG_W1" >/dev/null 2>&1 ||
    DOCKER_BUILDKIT=0 "$DOCKER" build -t "$IMG_W1" --build-arg BASE="$IMG_BASE" "$CTX" >>"$LOG" 2>&1
}
# W1B (W5's second image: all but the last layer shared with W1), built from W1's cache.
ensure_w1b() {
  ensure_w1
  "$DOCKER" image inspect "$IMG_W1B" >/dev/null 2>&1 ||
    DOCKER_BUILDKIT=0 "$DOCKER" build -t "$IMG_W1B" -f "$CTX/Dockerfile.v2" --build-arg BASE="$IMG_BASE" "$CTX" >>"$LOG" 2>&1
}
# Remove the bench's W1 images and the dangling ones built from its base (they carry its label).
wipe_docker_images() {
  local imgs
  "$DOCKER" ps -aq --filter label=strata-bench | xargs -r "$DOCKER" rm -f >/dev/null 2>&1 || true
  imgs=$("$DOCKER" images -q --filter reference='localhost/strata-bench/w1' 2>/dev/null | sort -u)
  [ -z "$imgs" ] || "$DOCKER" rmi -f $imgs >/dev/null 2>&1 || true
  "$DOCKER" image prune -f --filter label=org.strata-bench.base=1 >/dev/null 2>&1 || true
}

RUNS=${RUNS:-5}
export JAVA_HOME=${STRATA_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
STRATA="$REPO/strata"

# wall SECONDS-VAR CMD: run CMD (output to $LOG), store its wall seconds
wall() {
  local __v=$1 __t0 __t1; shift
  __t0=$(now)
  eval "$*" >>"$LOG" 2>&1 || die "command failed: $*"
  __t1=$(now)
  printf -v "$__v" '%s' "$(awk -v a="$__t0" -v b="$__t1" 'BEGIN{printf "%.3f", b-a}')"
}

# compare CASE ANCHOR_NAME STRATA_PREP STRATA_CMD ANCHOR_PREP ANCHOR_CMD
# Alternates strata and the anchor RUNS times (prep untimed), prints both medians and the ratio.
compare() {
  local cs=$1 anchor=$2 sprep=$3 scmd=$4 aprep=$5 acmd=$6 i t
  local st=() at=()
  for ((i = 1; i <= RUNS; i++)); do
    [[ -z "$sprep" ]] || eval "$sprep" >>"$LOG" 2>&1 || die "prep failed: $sprep"
    wall t "$scmd"; st+=("$t")
    [[ -z "$aprep" ]] || eval "$aprep" >>"$LOG" 2>&1 || die "prep failed: $aprep"
    wall t "$acmd"; at+=("$t")
  done
  local sm am ratios=() rm rmin rmax
  sm=$(stats "${st[@]}" | cut -d' ' -f1)
  am=$(stats "${at[@]}" | cut -d' ' -f1)
  # each run's ratio to the anchor run beside it: their median and range say how far noise moved it
  for ((i = 0; i < RUNS; i++)); do ratios+=("$(awk -v a="${st[i]}" -v b="${at[i]}" 'BEGIN{printf "%.3f", a/b}')"); done
  read -r rm rmin rmax < <(stats "${ratios[@]}")
  record BENCH "$cs" strata "$RUNS" $(stats "${st[@]}") s "runs=$(IFS=,; echo "${st[*]}")" "$scmd"
  record BENCH "$cs" "$anchor" "$RUNS" $(stats "${at[@]}") s "runs=$(IFS=,; echo "${at[*]}")" "$acmd"
  printf '%-28s strata %8.3f s   %-10s %8.3f s   ratio %.2f× (runs %.2f–%.2f, n=%d)   load %s\n' "$cs" "$sm" "$anchor" "$am" \
    "$rm" "$rmin" "$rmax" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$BENCH_WORK/summary.txt"
}

# dockerd for the anchors: always one of the bench's own, on a private socket and data root (stopped by
# the EXIT trap), so that its prunes never touch images or caches of a dockerd someone else uses.
ensure_dockerd() {
  export DOCKER_HOST=unix:///run/strata-bench-docker.sock
  if ! "$DOCKER" info >/dev/null 2>&1; then
    dockerd --iptables=false --bridge=none --host "$DOCKER_HOST" --data-root /var/lib/strata-bench-docker \
      --exec-root /run/strata-bench-docker --pidfile /run/strata-bench-docker.pid >"$BENCH_WORK/dockerd.log" 2>&1 &
    BENCH_DOCKERD=$!
    trap 'kill $BENCH_DOCKERD 2>/dev/null; wait $BENCH_DOCKERD 2>/dev/null' EXIT
    local i; for i in $(seq 60); do "$DOCKER" info >/dev/null 2>&1 && return; sleep 0.5; done
    die "dockerd did not start (see $BENCH_WORK/dockerd.log)"
  fi
}

# The anchors' registry: distribution on $REG_ADDR with filesystem storage, restarted empty by registry_reset.
registry_start() {
  mkdir -p "$REG_DIR/storage"
  printf '%s\n' 'version: 0.1' 'log:' '  level: info' '  formatter: text' '  accesslog:' '    disabled: true' \
    'storage:' '  filesystem:' "    rootdirectory: $REG_DIR/storage" '  delete:' '    enabled: true' \
    'http:' "  addr: $REG_ADDR" >"$REG_DIR/config.yml"
  if ! curl -sf "http://$REG_ADDR/v2/" >/dev/null 2>&1; then
    nohup /usr/bin/docker-registry serve "$REG_DIR/config.yml" >>"$REG_DIR/registry.log" 2>&1 &
    echo $! >"$REG_DIR/pid"
    local i; for i in $(seq 50); do curl -sf "http://$REG_ADDR/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -sf "http://$REG_ADDR/v2/" >/dev/null || die "registry did not come up on $REG_ADDR"
  fi
}
registry_stop() {
  [[ -f "$REG_DIR/pid" ]] || return 0
  kill "$(cat "$REG_DIR/pid")" 2>/dev/null || true
  local i; for i in $(seq 50); do kill -0 "$(cat "$REG_DIR/pid")" 2>/dev/null || break; sleep 0.1; done
  rm -f "$REG_DIR/pid"
}
registry_reset() { registry_stop; rm -rf "$REG_DIR/storage"; registry_start; }
# bytes of blob data the registry stores (layers, configs, manifests)
registry_bytes() { find "$REG_DIR/storage" -type f -name data -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}'; }

# The classpath of the built CLI, for the small benchmark programs.
strata_classpath() {
  STRATA_NO_AOT=1 "$STRATA" version >/dev/null # builds when needed
  echo "$REPO/strata-cli/target/strata-cli.jar:$(<"$REPO/strata-cli/target/classpath.txt")"
}
