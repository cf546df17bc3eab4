#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the macOS installer package from a macOS build of the agent, on a
# Mac (pkgbuild and productbuild come with Xcode's command line tools):
#
#   sh scripts/build-pkg.sh BUILD OUT.pkg
#
# BUILD holds posture and posture-net (make pkg builds them). Unsigned by
# default; SIGN_APP="Developer ID Application: NAME (TEAMID)" signs both
# programs with the hardened runtime, SIGN_INSTALLER="Developer ID
# Installer: NAME (TEAMID)" signs the package; notarize it afterwards
# (installer/macos/README.md). Payload: /usr/local/bin/posture,
# /usr/local/libexec/posture/posture-net, the policies and manual pages
# under /usr/local/share, /Library/LaunchDaemons/com.posture.agent.plist;
# scripts: installer/macos/scripts. NOT RUN ON THIS PROJECT'S CI (no Mac).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BUILD OUT.pkg" >&2; exit 2; }
build=$1 out=$2
[ "$(uname -s)" = Darwin ] || { echo "$0: pkgbuild runs on a Mac" >&2; exit 2; }
for f in posture posture-net; do
	[ -x "$build/$f" ] || { echo "$0: $build/$f is missing (make pkg builds it)" >&2; exit 1; }
done
version=$(cat VERSION)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
install -d "$root/usr/local/bin" "$root/usr/local/libexec/posture" \
	"$root/usr/local/share/posture/policies" "$root/usr/local/share/man/man5" \
	"$root/usr/local/share/man/man8" "$root/Library/LaunchDaemons"
install -m 0755 "$build/posture" "$root/usr/local/bin/posture"
install -m 0755 "$build/posture-net" "$root/usr/local/libexec/posture/posture-net"
install -m 0644 policies/*.ini "$root/usr/local/share/posture/policies/"
install -m 0644 man/*.5 "$root/usr/local/share/man/man5/"
install -m 0644 man/posture.8 "$root/usr/local/share/man/man8/"
install -m 0644 installer/macos/com.posture.agent.plist "$root/Library/LaunchDaemons/"
plutil -lint "$root/Library/LaunchDaemons/com.posture.agent.plist" >/dev/null
if [ -n "${SIGN_APP:-}" ]; then
	codesign --force --options runtime --timestamp --identifier posture \
		--sign "$SIGN_APP" "$root/usr/local/bin/posture"
	codesign --force --options runtime --timestamp --identifier posture-net \
		--sign "$SIGN_APP" "$root/usr/local/libexec/posture/posture-net"
fi
pkgbuild --root "$root" --scripts installer/macos/scripts \
	--identifier com.posture.agent --version "$version" \
	--install-location / "$work/posture-component.pkg"
if [ -n "${SIGN_INSTALLER:-}" ]; then
	productbuild --package "$work/posture-component.pkg" --sign "$SIGN_INSTALLER" "$out"
else
	productbuild --package "$work/posture-component.pkg" "$out"
fi
echo "build-pkg: $out ($(wc -c <"$out" | tr -d ' ') bytes), version $version${SIGN_INSTALLER:+, signed}"
