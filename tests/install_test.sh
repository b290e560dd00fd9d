#!/bin/sh
# The install a Debian administrator gets: `cmake --install` and the .deb put
# the binary, the case types and a hardened systemd unit where expected, and
# nothing in the installed binary points into the checkout or the build tree.
#
#   install_test.sh BUILD_DIR SOURCE_DIR [sanitized]
set -eu
build=$1
source=$2
sanitized=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" --strip >/dev/null
[ -x "$prefix/bin/dispatch" ] || fail "no bin/dispatch"
for type in cross_border_ambulance document_verification escort_to_port; do
  [ -f "$prefix/share/dispatch/workflows/$type.textproto" ] || fail "no $type definition"
done
unit=$prefix/lib/systemd/system/dispatch.service
[ -f "$unit" ] || fail "no systemd unit"

# Nothing points into the checkout or the build tree (but a sanitizer build,
# which is never installed, keeps source locations for its reports).
if [ -z "$sanitized" ]; then
  if grep -a -q -F "$source" "$prefix/bin/dispatch"; then fail "the binary names $source"; fi
  if grep -a -q -F "$build" "$prefix/bin/dispatch"; then fail "the binary names $build"; fi
fi

# With nothing set, it finds the case types where it was installed.
listed=$(cd "$work" && env -i "$prefix/bin/dispatch" workflow list)
echo "$listed" | grep -q "$prefix/share/dispatch/workflows/escort_to_port.textproto" ||
  fail "workflow list does not read the installed case types: $listed"

# The unit is valid and hardened: systemd's own exposure score (0 = locked
# down, 10 = exposed) is low.
sed "s|/usr/bin/dispatch|$prefix/bin/dispatch|" "$unit" >"$work/dispatch.service"
systemd-analyze verify "$work/dispatch.service" 2>"$work/verify" ||
  { cat "$work/verify" >&2; fail "systemd-analyze verify"; }
score=$(systemd-analyze security --offline=yes "$work/dispatch.service" 2>/dev/null |
  sed -n 's/.*Overall exposure level for dispatch.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "no exposure score"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score is over 2.0"

# The Debian package: the same files under /usr, the user made on install.
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" >/dev/null)
deb=$(ls "$work"/pkg/dispatch_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/dispatch ./usr/share/dispatch/workflows/escort_to_port.textproto \
    ./usr/lib/systemd/system/dispatch.service; do
  echo "$contents" | grep -q -F " $f" || fail "the package has no $f"
done
dpkg-deb -I "$deb" postinst | grep -q "adduser --system" || fail "postinst makes no user"
dpkg-deb -f "$deb" Depends | grep -q "libsqlite3" || fail "Depends lacks the libraries"
echo "ok: installed, packaged, exposure $score"
