# shellcheck shell=bash
# strata's benchmark harness: the same workload with strata and with an anchor tool, alternating,
# RUNS times each, medians and the ratio strata/anchor. Reuses the data and helpers of the shared
# baseline (../shared/bench: gen-tree.py, Dockerfiles, lib.sh) so ratios compare like with like.
# Source this file; do not run it.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$REPO/../shared/bench}
[[ -f "$SHARED_BENCH/lib.sh" ]] || { echo "bench: shared baseline scripts not found at $SHARED_BENCH" >&2; exit 2; }
# shellcheck source=/dev/null
source "$SHARED_BENCH/lib.sh"
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
  local sm am
  sm=$(stats "${st[@]}" | cut -d' ' -f1)
  am=$(stats "${at[@]}" | cut -d' ' -f1)
  record BENCH "$cs" strata "$RUNS" $(stats "${st[@]}") s "runs=$(IFS=,; echo "${st[*]}")" "$scmd"
  record BENCH "$cs" "$anchor" "$RUNS" $(stats "${at[@]}") s "runs=$(IFS=,; echo "${at[*]}")" "$acmd"
  printf '%-28s strata %8.3f s   %-10s %8.3f s   ratio %.2f×\n' "$cs" "$sm" "$anchor" "$am" \
    "$(awk -v a="$sm" -v b="$am" 'BEGIN{print a/b}')" | tee -a "$BENCH_WORK/summary.txt"
}

# dockerd for the anchors: use DOCKER_HOST when set, else start one of our own on a private
# socket (stopped by the EXIT trap).
ensure_dockerd() {
  if [[ -n "${DOCKER_HOST:-}" ]] && "$DOCKER" info >/dev/null 2>&1; then return; fi
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

# The classpath of the built CLI, for the small benchmark programs.
strata_classpath() {
  STRATA_NO_AOT=1 "$STRATA" version >/dev/null # builds when needed
  echo "$REPO/strata-cli/target/strata-cli.jar:$(<"$REPO/strata-cli/target/classpath.txt")"
}
