#!/usr/bin/env bash
# bench/run.sh WORKLOAD...   workloads: ingest, save-load, images (default: all three)
# Knobs: RUNS (5), BENCH_WORK (/tmp/strata-bench), TREE_FILES/TREE_BYTES (the W1 tree; defaults
# are the baseline's 20,000 files / 200 MiB), INGEST_BYTES (1 GiB). Summary: $BENCH_WORK/summary.txt
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: >"$BENCH_WORK/summary.txt"

# Blob ingest (hash + write + fsync + atomic rename) of one file into a fresh content store vs
# openssl's SHA-NI digest of the same file (which writes nothing).
bench_ingest() {
  local f=$BENCH_WORK/ingest.bin cp build=$BENCH_WORK/classes
  [[ -f "$f" && $(stat -c %s "$f") == "${INGEST_BYTES:=1073741824}" ]] ||
    head -c "$INGEST_BYTES" /dev/urandom >"$f"
  cp=$(strata_classpath)
  mkdir -p "$build"
  "$JAVA_HOME/bin/javac" -d "$build" -cp "$cp" "$REPO/bench/IngestBench.java"
  local java="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp $build:$cp IngestBench"
  cat "$f" >/dev/null # warm the page cache for both
  compare ingest-1GiB openssl "rm -rf $BENCH_WORK/ingest-store" "$java $BENCH_WORK/ingest-store $f" \
    "" "openssl dgst -sha256 $f"
  compare hash-only-1GiB openssl "" "$java --hash-only x $f" "" "openssl dgst -sha256 $f"
  rm -rf "$BENCH_WORK/ingest-store"
}

# save and load of the W1 image (6 layers, 264 MB): built once by docker from the baseline's
# Dockerfiles, moved into strata with docker save | strata load (untimed).
bench_save_load() {
  ensure_dockerd
  ensure_w1 docker
  local S=$BENCH_WORK/strata-store T=$BENCH_WORK/w1-docker.tar O=$BENCH_WORK/w1-strata.tar
  [[ -f "$T" ]] || "$DOCKER" save -o "$T" "$IMG_W1"
  rm -rf "$S"; "$STRATA" --root "$S" load -q -i "$T" >>"$LOG"
  compare save-W1 "docker" "rm -f $O; sync" "$STRATA --root $S save -o $O $IMG_W1" \
    "rm -f $BENCH_WORK/d.tar; sync" "$DOCKER save -o $BENCH_WORK/d.tar $IMG_W1"
  if command -v skopeo >/dev/null; then
    # skopeo works on containers-storage, as in the baseline (W4 skopeo rows)
    local CS=containers-storage:$IMG_W1
    skopeo copy -q "docker-archive:$T" "$CS" >>"$LOG" 2>&1
    compare save-W1 "skopeo" "rm -f $O; sync" "$STRATA --root $S save -o $O $IMG_W1" \
      "rm -f $BENCH_WORK/s.tar; sync" "skopeo copy -q $CS docker-archive:$BENCH_WORK/s.tar:$IMG_W1"
    compare load-W1 "skopeo" "$STRATA --root $S rmi $IMG_W1; $STRATA --root $S system prune -f -a; sync" \
      "$STRATA --root $S load -q -i $O" "skopeo delete $CS; sync" "skopeo copy -q docker-archive:$O $CS"
    skopeo delete "$CS" >>"$LOG" 2>&1 || true
  fi
  # load: strata defers unpacking (layers stay blobs until a container or export needs them), so
  # load is timed alone and then load + a flattened export (an unpack of every layer).
  compare load-W1 "docker" "$STRATA --root $S rmi $IMG_W1; $STRATA --root $S system prune -f -a; sync" \
    "$STRATA --root $S load -q -i $O" "wipe_docker_images; sync" "$DOCKER load -q -i $O"
  compare load+export-W1 "docker" "$STRATA --root $S rmi $IMG_W1; $STRATA --root $S system prune -f -a; sync" \
    "$STRATA --root $S load -q -i $O && $STRATA --root $S image export -o /dev/null $IMG_W1" \
    "wipe_docker_images; sync" "$DOCKER load -q -i $O"
  rm -f "$O" "$BENCH_WORK/d.tar" "$BENCH_WORK/s.tar"
}

# images on an empty store: the start-up path.
bench_images() {
  ensure_dockerd
  local S=$BENCH_WORK/empty-store
  rm -rf "$S"; "$STRATA" --root "$S" images >/dev/null # build + AOT cache, untimed
  local saved=$RUNS; RUNS=${IMAGES_RUNS:-20}
  compare images-empty "docker" "" "$STRATA --root $S images" "" "$DOCKER images"
  RUNS=$saved
}

for w in "${@:-ingest save-load images}"; do
  for x in $w; do
    case $x in
      ingest) bench_ingest ;;
      save-load) bench_save_load ;;
      images) bench_images ;;
      *) die "unknown workload $x (ingest, save-load, images)" ;;
    esac
  done
done
echo; cat "$BENCH_WORK/summary.txt"
