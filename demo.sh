#!/usr/bin/env bash
# The strata demo: on nothing but this machine, make a base image from the machine's static busybox,
# then tag, list, inspect, show history, save (docker-archive and OCI), remove, load back (same ID),
# export the flattened root filesystem, show disk usage and check the store. Uses a temporary store.
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

# What the demo needs: a static busybox (package busybox-static).
if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then
  step "installing busybox-static"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq busybox-static >/dev/null
fi
busybox=/bin/busybox

work="$(mktemp -d /tmp/strata-demo.XXXXXX)"
trap 'rm -rf "$work"' EXIT
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

echo
echo "demo done (the temporary store $STRATA_ROOT is removed on exit)"
