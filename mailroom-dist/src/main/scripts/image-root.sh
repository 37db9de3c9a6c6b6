#!/usr/bin/env bash
# Builds the part of the container image's root file system that is not Mailroom itself, for Jib
# to add on top of the empty base image `scratch`:
#   - the shared libraries the jlinked runtime's `java` and its native libraries load, and the
#     ones /bin/sh loads, copied from this (the build) machine under the same paths (glibc's libc,
#     libm, libpthread and libdl, the dynamic loader ld-linux, and libz when the JDK uses the
#     system's), found with ldd;
#   - /bin/sh (the build machine's, normally dash), which runs the launcher;
#   - /etc/passwd and /etc/group naming root and the user `mailroom` (10001:10001), which the
#     image runs as;
#   (/tmp, where sqlite-jdbc unpacks its native library, and the data directory come in a layer of
#   their own, from add-owned-dirs-layer.sh.)
# The runtime's GUI and sound libraries (libawt_xawt, libjawt, libsplashscreen, libjsound) are
# left out of the search: they load only for a display or a sound card, which a server never
# opens, and they would bring X11 and ALSA.
#
# Usage: image-root.sh <jlinked runtime> <output root>
set -euo pipefail
runtime=$1
root=$2
rm -rf "$root"
mkdir -p "$root/bin" "$root/etc"

sh_binary=$(readlink -f /bin/sh)
cp "$sh_binary" "$root/bin/sh"

libraries() {
  local file
  for file in "$runtime/bin/java" "$runtime"/lib/*.so "$runtime"/lib/server/*.so "$sh_binary"; do
    case ${file##*/} in
      libawt_xawt.so | libjawt.so | libsplashscreen.so | libjsound.so) continue ;;
    esac
    # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)";
    # the runtime's own libraries (found through its RPATH) are already in the image.
    ldd "$file" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
  done | grep -v "^$(readlink -f "$runtime")/" | grep -v "^$runtime/" | sort -u
}

count=0
while read -r library; do
  mkdir -p "$root$(dirname "$library")"
  cp -L "$library" "$root$library"
  count=$((count + 1))
done < <(libraries)
if [[ ! -e "$root/lib64/ld-linux-x86-64.so.2" ]]; then
  echo "image-root.sh: ldd named no /lib64/ld-linux-x86-64.so.2; is this an x86-64 glibc machine?" >&2
  exit 1
fi

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
mailroom:x:10001:10001:Mailroom:/var/lib/mailroom:/bin/sh
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
mailroom:x:10001:
GROUP
echo "image-root.sh: $count shared libraries copied into $root"
