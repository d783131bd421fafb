#!/usr/bin/env bash
# bench/run.sh WORKLOAD...   workloads: ingest, save-load, images, run, create-disk, commit, build, compress,
# push, pull, serve
# (default: all)
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

# Layer commit throughput on the W1 tree (200 MB, 20,000 files, page cache warm): strata's tar
# writer + compression + SHA-256 of both streams (LayerCompressBench) vs tar | pigz -6 | sha256sum
# (both cores) and tar | zstd -3 | sha256sum (one core, and all cores). Throughput = tree bytes / s.
bench_compress() {
  restore_tree
  local cp build=$BENCH_WORK/classes src=$CTX/src
  cp=$(strata_classpath)
  mkdir -p "$build"
  "$JAVA_HOME/bin/javac" -d "$build" -cp "$cp" "$REPO/bench/LayerCompressBench.java"
  local java="$JAVA_HOME/bin/java -XX:-TieredCompilation --enable-native-access=ALL-UNNAMED -cp $build:$cp LayerCompressBench"
  tar -C "$src" -cf - . >/dev/null # warm the page cache for both
  compare layer-gzip-W1tree pigz "" "$java gzip $src" "" "tar -C $src -cf - . | pigz -6 | sha256sum"
  compare layer-zstd-W1tree zstd-T1 "" "$java zstd $src" "" "tar -C $src -cf - . | zstd -q -3 -T1 | sha256sum"
  compare layer-zstd-W1tree zstd-T0 "" "$java zstd $src" "" "tar -C $src -cf - . | zstd -q -3 -T0 | sha256sum"
  compare layer-none-W1tree tar "" "$java none $src" "" "tar -C $src -cf - . | sha256sum"
}

# save and load of the W1 image (6 layers, 264 MB): built once by docker from the baseline's
# Dockerfiles, moved into strata with docker save | strata load (untimed).
bench_save_load() {
  ensure_dockerd
  ensure_w1
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
    "$STRATA --root $S load -q -i $O && $STRATA --root $S image export $IMG_W1 >/dev/null" \
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

# W1-W3: the W1 Dockerfile built from its context, against docker's BuildKit (DOCKER_BUILDKIT=1,
# the fastest anchor) and the classic builder: cold (--no-cache), fully cached, one file changed.
# The base image moves from docker into strata's store untimed.
bench_build() {
  ensure_dockerd
  ensure_base
  restore_tree
  local S=$BENCH_WORK/build-store
  "$STRATA" --root "$S" image inspect "$IMG_BASE" >/dev/null 2>&1 ||
    "$DOCKER" save "$IMG_BASE" | "$STRATA" --root "$S" load -q >>"$LOG"
  local sb="$STRATA --root $S build -q --network none -t $IMG_W1 --build-arg BASE=$IMG_BASE $CTX"
  local bk="DOCKER_BUILDKIT=1 $DOCKER build -q --network none -t $IMG_W1 --build-arg BASE=$IMG_BASE $CTX"
  local cl="DOCKER_BUILDKIT=0 $DOCKER build -q --network none -t $IMG_W1 --build-arg BASE=$IMG_BASE $CTX"
  compare build-cold-W1 docker-buildkit "sync" "$sb --no-cache" "sync" "$bk --no-cache"
  compare build-cold-W1 docker-classic "sync" "$sb --no-cache" "sync" "$cl --no-cache"
  eval "$sb" >>"$LOG" 2>&1; eval "$bk" >>"$LOG" 2>&1
  compare build-cached-W1 docker-buildkit "" "$sb" "" "$bk"
  W3_N=0
  change_one_file() {
    W3_N=$((W3_N + 1))
    printf 'w3 change run %d at %s\n' "$W3_N" "$EPOCHREALTIME" >"$CTX/$W3_FILE"
  }
  compare build-one-file-W1 docker-buildkit "change_one_file" "$sb" "change_one_file" "$bk"
  restore_tree
  # every --no-cache run leaves a dangling 250 MB image behind, in both stores: drop them
  "$STRATA" --root "$S" image prune -f >>"$LOG" 2>&1 || true
  "$STRATA" --root "$S" builder prune -f >>"$LOG" 2>&1 || true
  "$DOCKER" image prune -f --filter label=org.strata-bench.base=1 >>"$LOG" 2>&1 || true
  "$DOCKER" builder prune -f >>"$LOG" 2>&1 || true # the bench's own dockerd (ensure_dockerd)
}

# W1 in strata's store (through docker save | strata load, untimed), for the container workloads.
ensure_w1_strata() {
  ensure_dockerd
  ensure_w1
  W7_STORE=$BENCH_WORK/w7-store
  "$STRATA" --root "$W7_STORE" image inspect "$IMG_W1" >/dev/null 2>&1 ||
    "$DOCKER" save "$IMG_W1" | "$STRATA" --root "$W7_STORE" load -q >>"$LOG"
}

# W7a: start-up latency: `run --rm IMG true` with --network none and on the default bridge, 10
# `create`s, and `ps -a` on an empty store, each after warm-ups, vs podman (runc, netavark: the
# same network backend) and docker (its own dockerd has no bridge here: --network none only).
bench_run() {
  ensure_w1_strata
  local S=$W7_STORE saved=$RUNS E=$BENCH_WORK/empty-store
  for _ in 1 2; do "$STRATA" --root "$S" run --rm --network none "$IMG_W1" true; "$DOCKER" run --rm --network none "$IMG_W1" true; done >>"$LOG" 2>&1
  RUNS=${START_RUNS:-20}
  compare run-rm-true-none "docker" "" "$STRATA --root $S run --rm --network none $IMG_W1 true" "" "$DOCKER run --rm --network none $IMG_W1 true"
  if command -v podman >/dev/null; then
    ensure_w1_podman
    local P="podman run --rm --runtime runc $PODMAN_ULIMITS"
    for _ in 1 2; do $P --network none "$IMG_W1" true; $P "$IMG_W1" true; "$STRATA" --root "$S" run --rm "$IMG_W1" true; done >>"$LOG" 2>&1
    compare run-rm-true-none "podman" "" "$STRATA --root $S run --rm --network none $IMG_W1 true" "" "$P --network none $IMG_W1 true"
    compare run-rm-true-bridge "podman" "" "$STRATA --root $S run --rm $IMG_W1 true" "" "$P $IMG_W1 true"
    RUNS=${CREATE_RUNS:-5}
    compare create-10 "podman" "" "for _n in \$(seq 10); do $STRATA --root $S create --network none $IMG_W1 true; done; $STRATA --root $S container prune -f" \
      "" "for _n in \$(seq 10); do podman create --runtime runc --network none --label strata-bench $IMG_W1 true; done; podman container prune -f --filter label=strata-bench"
  fi
  RUNS=${START_RUNS:-20}
  rm -rf "$E"; "$STRATA" --root "$E" ps -a >/dev/null
  compare ps-empty "docker" "" "$STRATA --root $E ps -a" "" "$DOCKER ps -a"
  RUNS=$saved
  ! command -v podman >/dev/null || podman rmi -f "$IMG_W1" >>"$LOG" 2>&1 || true
}

# W1 in podman's store (from the bench's dockerd, untimed).
ensure_w1_podman() {
  podman image exists "$IMG_W1" 2>/dev/null || "$DOCKER" save "$IMG_W1" | podman load -q >>"$LOG" 2>&1
}

# W7b: extra disk for 10 created containers: du -skx of the store before and after.
bench_create_disk() {
  ensure_w1_strata
  local S=$W7_STORE before after dbefore dafter droot
  "$STRATA" --root "$S" create "$IMG_W1" true >>"$LOG" # the image unpacked once, as docker's is at load
  "$STRATA" --root "$S" rm -f "$("$STRATA" --root "$S" ps -a -q)" >>"$LOG"
  sync; before=$(du_k "$S")
  for _ in $(seq 10); do "$STRATA" --root "$S" create "$IMG_W1" true; done >>"$LOG"
  sync; after=$(du_k "$S")
  "$STRATA" --root "$S" ps -a -q | xargs -r "$STRATA" --root "$S" rm -f >>"$LOG"
  droot=$("$DOCKER" info --format '{{.DockerRootDir}}')
  sync; dbefore=$(du_k "$droot")
  for _ in $(seq 10); do "$DOCKER" create --network none --label strata-bench "$IMG_W1" true; done >>"$LOG"
  sync; dafter=$(du_k "$droot")
  "$DOCKER" ps -aq --filter label=strata-bench | xargs -r "$DOCKER" rm -f >>"$LOG"
  record BENCH create-10-disk strata 1 $((after - before)) $((after - before)) $((after - before)) KiB "" "du -skx of the store"
  record BENCH create-10-disk docker 1 $((dafter - dbefore)) $((dafter - dbefore)) $((dafter - dbefore)) KiB "" "du -skx of the data root"
  printf '%-28s strata %8d KiB  docker %8d KiB   ratio %.2f×  (podman baseline 488 KiB)\n' create-10-disk \
    $((after - before)) $((dafter - dbefore)) "$(awk -v a=$((after - before)) -v b=$((dafter - dbefore)) 'BEGIN{print a/b}')" |
    tee -a "$BENCH_WORK/summary.txt"
}

# W7c: commit of a container holding 200 MB of new files (random bytes, so no tool can cheat by
# compressing), vs docker commit of the same change.
bench_commit() {
  ensure_w1_strata
  local S=$W7_STORE mk='dd if=/dev/urandom of=/big1 bs=1M count=100 && dd if=/dev/urandom of=/big2 bs=1M count=100'
  "$STRATA" --root "$S" rm -f w7c >>"$LOG" 2>&1 || true
  "$STRATA" --root "$S" run --name w7c "$IMG_W1" sh -c "$mk" >>"$LOG" 2>&1
  "$DOCKER" rm -f w7c >>"$LOG" 2>&1 || true
  "$DOCKER" run --name w7c --network none "$IMG_W1" sh -c "$mk" >>"$LOG" 2>&1
  compare commit-200MB "docker" "$STRATA --root $S rmi -f w7c:img || true; sync" "$STRATA --root $S commit w7c w7c:img" \
    "$DOCKER rmi -f w7c:img || true; sync" "$DOCKER commit w7c w7c:img"
  "$STRATA" --root "$S" rm -f w7c >>"$LOG"; "$STRATA" --root "$S" rmi -f w7c:img >>"$LOG" 2>&1 || true
  "$DOCKER" rm -f w7c >>"$LOG"; "$DOCKER" rmi -f w7c:img >>"$LOG" 2>&1 || true
}

# W5 push to the local registry (distribution, emptied before each run) of W1 as strata stores it
# after a load (uncompressed layers, so the first push compresses), then of W1B, which shares all
# but its last layer. Anchors: skopeo from containers-storage (the baseline's fastest), podman.
bench_push() {
  ensure_w1_strata
  ensure_w1b
  local S0=$BENCH_WORK/push-store0 S=$BENCH_WORK/push-store R=$REG_ADDR/bench/w1 CS
  if ! "$STRATA" --root "$S0" image inspect "$R:v2" >/dev/null 2>&1; then
    rm -rf "$S0"
    "$DOCKER" save "$IMG_W1" "$IMG_W1B" | "$STRATA" --root "$S0" load -q >>"$LOG"
    "$STRATA" --root "$S0" tag "$IMG_W1" "$R:v1"; "$STRATA" --root "$S0" tag "$IMG_W1B" "$R:v2"
  fi
  "$DOCKER" save "$IMG_W1" "$IMG_W1B" | podman load -q >>"$LOG" 2>&1
  CS=containers-storage:$IMG_W1
  registry_start
  compare push-first-W1 skopeo "rm -rf $S; cp -a $S0 $S; registry_reset; sync" "$STRATA --root $S push -q $R:v1" \
    "registry_reset; sync" "skopeo copy -q --dest-tls-verify=false $CS docker://$R:v1"
  local b1=$(registry_bytes)
  compare push-first-W1 podman "rm -rf $S; cp -a $S0 $S; registry_reset; sync" "$STRATA --root $S push -q $R:v1" \
    "registry_reset; sync" "podman push -q --tls-verify=false $IMG_W1 docker://$R:v1"
  # the same push with every layer already compressed once (what the first push spends compressing)
  compare push-first-W1-precompressed skopeo "registry_reset; sync" "$STRATA --root $S push -q $R:v1" \
    "registry_reset; sync" "skopeo copy -q --dest-tls-verify=false $CS docker://$R:v1"
  local before after sb ab
  compare push-second-W1B skopeo "registry_reset; $STRATA --root $S push -q $R:v1; sync" "$STRATA --root $S push -q $R:v2" \
    "registry_reset; skopeo copy -q --dest-tls-verify=false $CS docker://$R:v1; sync" \
    "skopeo copy -q --dest-tls-verify=false containers-storage:$IMG_W1B docker://$R:v2"
  registry_reset; "$STRATA" --root "$S" push -q "$R:v1" >>"$LOG"; before=$(registry_bytes)
  "$STRATA" --root "$S" push -q "$R:v2" >>"$LOG"; sb=$(($(registry_bytes) - before))
  registry_reset; skopeo copy -q --dest-tls-verify=false "$CS" "docker://$R:v1" >>"$LOG"; before=$(registry_bytes)
  skopeo copy -q --dest-tls-verify=false "containers-storage:$IMG_W1B" "docker://$R:v2" >>"$LOG"; ab=$(($(registry_bytes) - before))
  printf '%-28s strata %8d B   skopeo %8d B   (registry growth; first push stored %d B)\n' push-second-bytes "$sb" "$ab" "$b1" |
    tee -a "$BENCH_WORK/summary.txt"
  podman rmi -f "$IMG_W1" "$IMG_W1B" >>"$LOG" 2>&1 || true
  rm -rf "$S"
  registry_stop
}

# W6 pull of W1 (pushed once by docker: gzip layers, Docker's manifest) into an empty store, then a
# container of it; strata unpacks while it downloads, the anchors after. And the blobs alone.
bench_pull() {
  ensure_dockerd
  ensure_w1
  local S=$BENCH_WORK/pull-store R=$REG_ADDR/bench/w1:pull OCI=$BENCH_WORK/pull-oci
  registry_start
  if ! curl -sf -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$REG_ADDR/v2/bench/w1/manifests/pull"; then
    "$DOCKER" tag "$IMG_W1" "$R"; "$DOCKER" push "$R" >>"$LOG" 2>&1; "$DOCKER" rmi "$R" >>"$LOG"
  fi
  compare pull-run-W1 podman "rm -rf $S; sync" "$STRATA --root $S pull -q $R && $STRATA --root $S run --rm --network none $R true" \
    "podman rmi -f $R >/dev/null 2>&1; sync" \
    "podman pull -q --tls-verify=false $R && podman run --rm --runtime $RUNTIME --network none $PODMAN_ULIMITS $R true"
  # no docker row: its store keeps W1's layers for the other workloads, so its "pull" downloaded nothing
  compare pull-blobs-W1 skopeo "rm -rf $S; sync" "$STRATA --root $S pull -q --no-unpack $R" \
    "rm -rf $OCI; sync" "skopeo copy -q --src-tls-verify=false docker://$R oci:$OCI:w1"
  podman rmi -f "$R" >>"$LOG" 2>&1 || true
  "$DOCKER" rmi -f "$R" >>"$LOG" 2>&1 || true
  rm -rf "$S" "$OCI"
  registry_stop
}

# W8 serving: the same clients against distribution ($REG_ADDR) and `strata registry serve`
# ($SREG_ADDR, file system storage), alternating run by run: 8 parallel curl loops GETting a 100 MiB
# blob (MB/s), wrk on a manifest GET and a small blob GET, ab on a blob HEAD (req/s), and skopeo copy
# of W1 from containers-storage into each (emptied before each run).
SREG_ADDR=${SREG_ADDR:-127.0.0.1:5001}
sreg_start() {
  rm -rf "$BENCH_WORK/sreg"; mkdir -p "$BENCH_WORK/sreg"
  STRATA_NO_BUILD=1 nohup "$STRATA" registry serve --addr "$SREG_ADDR" --storage "$BENCH_WORK/sreg/storage" \
    --access-log off >>"$BENCH_WORK/sreg/serve.log" 2>&1 &
  echo $! >"$BENCH_WORK/sreg/pid"
  local i; for i in $(seq 100); do curl -sf "http://$SREG_ADDR/v2/" >/dev/null 2>&1 && return; sleep 0.1; done
  die "strata registry did not come up on $SREG_ADDR"
}
sreg_stop() {
  [[ -f "$BENCH_WORK/sreg/pid" ]] || return 0
  kill "$(cat "$BENCH_WORK/sreg/pid")" 2>/dev/null || true
  local i; for i in $(seq 100); do kill -0 "$(cat "$BENCH_WORK/sreg/pid")" 2>/dev/null || break; sleep 0.1; done
  rm -f "$BENCH_WORK/sreg/pid"
}
# curl -o /dev/null discards response bodies on purpose: curl opens the device and writes to it,
# it never replaces it (strata's own -o is what once did, and OutputFile now writes devices in place).
# serve_seed ADDR: the 100 MiB blob, a config and a manifest in bench/serve (untimed); sets BLOB, CFG
serve_seed() {
  local B=http://$1/v2/bench/serve W=$BENCH_WORK/w8 loc
  mkdir -p "$W"
  [[ "$(stat -c %s "$W/blob" 2>/dev/null)" == 104857600 ]] ||
    (cd "$CTX/src" && for _ in $(seq 64); do find . -type f | LC_ALL=C sort | xargs cat; done | head -c 104857600 >"$W/blob") || true
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}' >"$W/config.json"
  BLOB=sha256:$(sha256sum "$W/blob" | cut -d' ' -f1); CFG=sha256:$(sha256sum "$W/config.json" | cut -d' ' -f1)
  for f in blob config.json; do
    local d=sha256:$(sha256sum "$W/$f" | cut -d' ' -f1)
    loc=$(curl -sf -X POST -D - -o /dev/null "$B/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
    case $loc in http*) ;; *) loc=http://$1$loc ;; esac
    case $loc in *\?*) loc="$loc&" ;; *) loc="$loc?" ;; esac
    curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$W/$f" "${loc}digest=$d" -o /dev/null ||
      die "upload of $f to $1 failed"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,"digest":"%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":104857600,"digest":"%s"}]}' \
    "$(stat -c %s "$W/config.json")" "$CFG" "$BLOB" >"$W/manifest.json"
  curl -sf -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data-binary @"$W/manifest.json" \
    "$B/manifests/latest" -o /dev/null || die "manifest put to $1 failed"
}
# blob_get_mbs ADDR: MB/s of 8 curl loops over 20 s (bounded by deadline, per-request and outer timeouts)
blob_get_mbs() {
  local W=$BENCH_WORK/w8 url=http://$1/v2/bench/serve/blobs/$BLOB t0 t1 deadline j
  rm -f "$W"/loop.*
  t0=$(now); deadline=$(($(date +%s) + 20))
  for ((j = 1; j <= 8; j++)); do
    timeout 80 bash -c "while [ \$(date +%s) -lt $deadline ]; do curl -s -o /dev/null --max-time 60 -w '%{size_download}\n' '$url' || break; done" \
      >"$W/loop.$j" 2>>"$LOG" &
  done
  wait
  t1=$(now)
  cat "$W"/loop.* | awk -v a="$t0" -v c="$t1" '{s+=$1} END {printf "%.1f", s/(c-a)/1e6}'
}
wrk_rate() { timeout 40 wrk -t2 -c16 -d10s --timeout 5s "$@" 2>>"$LOG" | awk '/Requests\/sec/ {print $2}'; }
ab_head_rate() { timeout 40 ab -q -i -k -c 16 -t 10 -n 10000000 "$1" 2>>"$LOG" | awk '/Requests per second/ {print $4}'; }
# side RESULT-NAME UNIT DIST-VALUES STRATA-VALUES: one summary line with medians and the ratio strata/distribution
side() {
  local name=$1 unit=$2 d s; d=$(stats $3 | cut -d' ' -f1); s=$(stats $4 | cut -d' ' -f1)
  record BENCH "$name" strata "$RUNS" $(stats $4) "$unit" "runs=$(echo $4 | tr ' ' ',')" "strata registry serve"
  record BENCH "$name" distribution "$RUNS" $(stats $3) "$unit" "runs=$(echo $3 | tr ' ' ',')" "docker-registry"
  printf '%-28s strata %9s %s   distribution %9s %s   ratio %.2f× (higher is better)   runs s=[%s] d=[%s]   load %s\n' "$name" "$s" "$unit" "$d" "$unit" \
    "$(awk -v a="$s" -v b="$d" 'BEGIN{print a/b}')" "$4" "$3" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$BENCH_WORK/summary.txt"
}
bench_serve() {
  ensure_tree
  command -v wrk >/dev/null && command -v ab >/dev/null || die "serve needs wrk and ab (apt-get install wrk apache2-utils)"
  registry_reset; sreg_start
  serve_seed "$REG_ADDR"; serve_seed "$SREG_ADDR"
  local i dG="" sG="" dM="" sM="" dC="" sC="" dH="" sH=""
  for ((i = 1; i <= RUNS; i++)); do
    dG+=" $(blob_get_mbs "$REG_ADDR")"; sG+=" $(blob_get_mbs "$SREG_ADDR")"
    dM+=" $(wrk_rate -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$REG_ADDR/v2/bench/serve/manifests/latest")"
    sM+=" $(wrk_rate -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$SREG_ADDR/v2/bench/serve/manifests/latest")"
    dC+=" $(wrk_rate "http://$REG_ADDR/v2/bench/serve/blobs/$CFG")"; sC+=" $(wrk_rate "http://$SREG_ADDR/v2/bench/serve/blobs/$CFG")"
    dH+=" $(ab_head_rate "http://$REG_ADDR/v2/bench/serve/blobs/$BLOB")"; sH+=" $(ab_head_rate "http://$SREG_ADDR/v2/bench/serve/blobs/$BLOB")"
  done
  side serve-blob-get-8par MB/s "$dG" "$sG"
  side serve-manifest-get req/s "$dM" "$sM"
  side serve-small-blob-get req/s "$dC" "$sC"
  side serve-blob-head req/s "$dH" "$sH"
  # skopeo copy of W1 into each registry, emptied before each run
  ensure_dockerd
  ensure_w1
  "$DOCKER" save "$IMG_W1" | podman load -q >>"$LOG" 2>&1
  local CS=containers-storage:$IMG_W1
  compare serve-skopeo-copy-W1 distribution "sreg_stop; sreg_start; sync" \
    "skopeo copy -q --dest-tls-verify=false $CS docker://$SREG_ADDR/bench/w1:1" \
    "registry_reset; sync" "skopeo copy -q --dest-tls-verify=false $CS docker://$REG_ADDR/bench/w1:1"
  podman rmi -f "$IMG_W1" >>"$LOG" 2>&1 || true
  sreg_stop; registry_stop
}

for w in "${@:-ingest save-load images run create-disk commit build compress push pull serve}"; do
  for x in $w; do
    case $x in
      ingest) bench_ingest ;;
      save-load) bench_save_load ;;
      images) bench_images ;;
      run) bench_run ;;
      create-disk) bench_create_disk ;;
      commit) bench_commit ;;
      build) bench_build ;;
      compress) bench_compress ;;
      push) bench_push ;;
      pull) bench_pull ;;
      serve) bench_serve ;;
      *) die "unknown workload $x (ingest, save-load, images, run, create-disk, commit, build, compress, push, pull, serve)" ;;
    esac
  done
done
echo; cat "$BENCH_WORK/summary.txt"
