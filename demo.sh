#!/usr/bin/env bash
# The strata demo: on nothing but this machine, make a base image from the machine's static busybox,
# then tag, list, inspect, show history, save (docker-archive and OCI), remove, load back (same ID),
# export the flattened root filesystem, show disk usage and check the store; then run containers of
# it (copy-on-write over the shared image), diff and commit one, and create ten that share one copy
# of the image; build examples/hello-app from a Dockerfile, rebuild it from the cache, change a file
# and rebuild. Uses a temporary store. Containers and builds need root and runc.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Prints each command, shell-quoted where needed, before running it.
show() {
  local line="+" arg
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then line+=" $arg"; else line+=" '${arg//\'/\'\\\'\'}'"; fi
  done
  echo "$line"
}
strata() {
  show strata "$@"
  ./strata "$@"
}

# What the demo needs: a static busybox (package busybox-static) and the OCI runtime runc.
missing=()
for pkg in busybox-static runc; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
busybox=/bin/busybox

work="$(mktemp -d /tmp/strata-demo.XXXXXX)"
# containers first (a failure half-way may leave one running, with its root mounted), then the files
trap './strata ps -a -q 2>/dev/null | xargs -r ./strata rm -f >/dev/null 2>&1; rm -rf "$work"' EXIT
export STRATA_ROOT="$work/store"

step "building strata if needed (first run only)"
./strata version

step "a root filesystem from the machine's static busybox"
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{bin,etc,root,tmp}
cp "$busybox" "$rootfs/bin/busybox"
for applet in sh ls cat echo env id ps mkdir rm cp mv grep sed wc uname; do
  ln -s busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
tar --numeric-owner --owner=0 --group=0 --sort=name -C "$rootfs" -cf "$work/busybox-rootfs.tar" .
echo "$(tar -tf "$work/busybox-rootfs.tar" | wc -l) entries, $(du -h "$work/busybox-rootfs.tar" | cut -f1) in $work/busybox-rootfs.tar"

step "import it as an image, with docker import's -c changes"
strata import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' -c 'WORKDIR /root' \
  -c 'LABEL org.opencontainers.image.title=demo-busybox' -m "busybox from this machine" \
  "$work/busybox-rootfs.tar" demo/busybox:1.0

step "tag and list"
strata tag demo/busybox:1.0 demo/busybox:latest
strata images
strata images --format json

step "inspect and history"
strata inspect demo/busybox:1.0
strata inspect --format '{{.Id}} {{.Config.Cmd}}' demo/busybox:latest
strata history demo/busybox:1.0
strata history -H=false --no-trunc demo/busybox:1.0

step "save as a docker-archive and as an OCI image layout"
id="$(./strata images -q --no-trunc demo/busybox:1.0 | head -1)"
strata save -o "$work/busybox-docker.tar" demo/busybox:1.0 demo/busybox:latest
tar -tf "$work/busybox-docker.tar"
strata save --format oci -o "$work/busybox-oci.tar" demo/busybox:1.0
tar -tf "$work/busybox-oci.tar"

step "remove, then load back: the image ID is the same"
strata rmi demo/busybox:1.0 demo/busybox:latest
strata images
strata load -i "$work/busybox-docker.tar"
strata images
loaded="$(./strata images -q --no-trunc demo/busybox:1.0 | head -1)"
echo "before: $id"
echo "after:  $loaded"
if [[ "$id" != "$loaded" ]]; then echo "demo: image ID changed across save/load" >&2; exit 1; fi
echo "same image ID"
echo "+ strata --root $work/store2 load < busybox-oci.tar   (the OCI layout, into a second store)"
./strata --root "$work/store2" load <"$work/busybox-oci.tar"
./strata --root "$work/store2" images --no-trunc

step "export the flattened root filesystem"
strata image export -o "$work/busybox-flat.tar" demo/busybox:latest
tar -tvf "$work/busybox-flat.tar" | sed -n 1,8p   # sed, not head: no SIGPIPE under pipefail

step "disk usage and a store check"
strata system df
strata system df -v
strata system fsck

step "a dangling image, and prune"
echo "v1" >"$rootfs/etc/motd"
tar --numeric-owner --owner=0 --group=0 --sort=name -C "$rootfs" -cf "$work/v1.tar" .
echo "v2" >"$rootfs/etc/motd"
tar --numeric-owner --owner=0 --group=0 --sort=name -C "$rootfs" -cf "$work/v2.tar" .
strata import "$work/v1.tar" demo/app:1
strata import "$work/v2.tar" demo/app:1
strata images
strata images -f dangling=true
strata image prune -f
strata images

if [[ $(id -u) != 0 ]]; then
  echo; echo "demo: containers need root (overlayfs mounts, runc); run the demo as root to see them"; exit 0
fi

step "a container of the image: change, add and delete files (copy-on-write over the image's layers)"
strata run --name changer demo/busybox:1.0 sh -c 'echo "changed in a container" >> /etc/passwd; echo new > /root/new.txt; rm /bin/uname; cat /etc/passwd'
strata ps -a
strata diff changer
strata run --rm demo/busybox:1.0 cat /etc/passwd   # another container still sees the image's file

step "commit the container as a new image, and run it"
strata commit -m "changed by a container" -c 'CMD ["cat", "/root/new.txt"]' changer demo/busybox:changed
strata history demo/busybox:changed
strata run --rm demo/busybox:changed
show strata run --rm demo/busybox:changed uname
./strata run --rm demo/busybox:changed uname || echo "(exit $?: uname was deleted, its whiteout is in the new layer)"
strata images

step "a container in the background: logs, exec, stop"
strata run -d --name bg demo/busybox:1.0 sh -c 'trap "echo stopping; exit 0" TERM; echo up; while true; do sleep 1; done'
strata ps
strata exec bg sh -c 'echo "hello from exec as $(id -un)"'
strata stop bg
strata logs bg
strata rm bg changer

step "ten containers of one image share one copy of it"
du_store() { du -sk "$STRATA_ROOT" | cut -f1; }
before=$(du_store)
for i in $(seq 1 10); do ./strata create --name "c$i" demo/busybox:1.0 true >/dev/null; done
after=$(du_store)
strata ps -a
strata system df
echo "10 containers added $((after - before)) KiB to the store (the image's $(du -sh "$busybox" | cut -f1) busybox is stored once)"
strata rm c1 c2 c3 c4 c5 c6 c7 c8 c9 c10

step "build examples/hello-app (two stages on the demo's busybox base) and run it"
app="$work/hello-app"
cp -r examples/hello-app "$app"
strata build -t demo/hello:1 "$app"
strata run --rm demo/hello:1
strata history demo/hello:1   # layers (COPY, RUN) and metadata-only steps (0B)

step "rebuild: every step comes from the layer cache, the image is the same"
strata build -t demo/hello:1 "$app"

step "change one file of the context and rebuild: only the steps after it run again"
printf 'Hello again, after a change' >"$app/greeting.txt"
strata build -t demo/hello:2 "$app"
strata run --rm demo/hello:2
strata images
strata system fsck

echo
echo "demo done (the temporary store $STRATA_ROOT is removed on exit)"
