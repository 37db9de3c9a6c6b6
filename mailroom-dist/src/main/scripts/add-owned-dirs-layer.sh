#!/usr/bin/env bash
# Adds the image's last layer to the OCI image tarball that Jib wrote: /tmp (mode 1777, root's)
# and the data directory /var/lib/mailroom (mode 700, owned by the image's user 10001:10001).
#
# Jib cannot make these two itself: every file it adds belongs to root (its ownership extension,
# from jib-extensions, is not published where this build can fetch it), and it takes file modes
# of three octal digits only, so no sticky bit for /tmp. GNU tar can, so this script builds the
# layer with tar, then appends it to the image as Jib would: the gzipped layer as a new blob, its
# digest at the end of the manifest's layers, the uncompressed layer's digest at the end of the
# config's rootfs.diff_ids (with a history entry), and the new config and manifest digests in
# index.json. Jib writes its JSON on one line, with no brackets inside the arrays edited here;
# each edit is checked, so a change of Jib's output stops the build rather than spoil the image.
# Everything is written with fixed times and owners, so the same input gives the same image.
#
# Usage: add-owned-dirs-layer.sh <OCI image tarball written by jib:buildTar>
set -euo pipefail
image=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
oci=$work/oci
mkdir -p "$oci" "$work/layer/tmp" "$work/layer/var/lib/mailroom"
tar -xf "$image" -C "$oci"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
replace() { # $1 = file, $2 = sed expression; fails unless the file changed
  local before
  before=$(sha "$1")
  sed -i -e "$2" "$1"
  if [[ $(sha "$1") == "$before" ]]; then
    echo "add-owned-dirs-layer.sh: '$2' did not match in $1; has Jib's output changed?" >&2
    exit 1
  fi
}

# The layer.
chmod 755 "$work/layer/var" "$work/layer/var/lib"
chmod 1777 "$work/layer/tmp"
chmod 700 "$work/layer/var/lib/mailroom"
tar_options=(--format=gnu --mtime=@0 --numeric-owner --no-recursion -C "$work/layer")
tar "${tar_options[@]}" --owner=0 --group=0 -cf "$work/layer.tar" tmp var var/lib
tar "${tar_options[@]}" --owner=10001 --group=10001 -rf "$work/layer.tar" var/lib/mailroom
diff_id=$(sha "$work/layer.tar")
gzip -n -9 "$work/layer.tar"
layer_digest=$(sha "$work/layer.tar.gz")
layer_size=$(size "$work/layer.tar.gz")
mv "$work/layer.tar.gz" "$oci/blobs/sha256/$layer_digest"

# The config: the layer's diff_id and a history entry.
manifest_digest=$(sed -n 's/.*"manifests":\[{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$oci/index.json")
manifest=$oci/blobs/sha256/$manifest_digest
config_digest=$(sed -n 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$manifest")
config=$work/config.json
mv "$oci/blobs/sha256/$config_digest" "$config"
replace "$config" 's/\("diff_ids":\[[^]]*\)\]/\1,"sha256:'"$diff_id"'"]/'
replace "$config" 's/\("history":\[[^]]*\)\]/\1,{"created":"1970-01-01T00:00:00Z","author":"mailroom-dist","created_by":"add-owned-dirs-layer.sh","comment":"\/tmp and the data directory"}]/'
new_config_digest=$(sha "$config")
new_config_size=$(size "$config")
mv "$config" "$oci/blobs/sha256/$new_config_digest"

# The manifest: the new config, and the layer last.
mv "$manifest" "$work/manifest.json"
manifest=$work/manifest.json
replace "$manifest" 's/"config":{\([^}]*\)"digest":"sha256:[0-9a-f]*","size":[0-9]*/"config":{\1"digest":"sha256:'"$new_config_digest"'","size":'"$new_config_size"'/'
replace "$manifest" 's/\("layers":\[[^]]*\)\]/\1,{"mediaType":"application\/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$layer_digest"'","size":'"$layer_size"'}]/'
new_manifest_digest=$(sha "$manifest")
new_manifest_size=$(size "$manifest")
mv "$manifest" "$oci/blobs/sha256/$new_manifest_digest"
replace "$oci/index.json" 's/"digest":"sha256:'"$manifest_digest"'","size":[0-9]*/"digest":"sha256:'"$new_manifest_digest"'","size":'"$new_manifest_size"'/'

tar --format=gnu --mtime=@0 --numeric-owner --owner=0 --group=0 --sort=name -C "$oci" \
  -cf "$work/image.tar" oci-layout index.json blobs
mv "$work/image.tar" "$image"
echo "add-owned-dirs-layer.sh: added layer sha256:$layer_digest to $image"
