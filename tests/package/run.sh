#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The agent's Debian package with the real dpkg (make test-package, part of
# make test-real; needs root): lintian clean; install (files, the posture
# user, the enabled unit, `posture check` and `posture version` working,
# systemd-analyze verify and security); upgrade to a newer version keeping a
# locally edited conffile; purge, after which nothing of the package is
# left on the system but the posture user (Debian keeps system users).
set -eu
B=${BUILD:-build}
[ "$(id -u)" = 0 ] || { echo "package test: needs root (dpkg -i)"; exit 1; }
arch=$(dpkg --print-architecture)
version=$(cat VERSION)
deb1=$B/posture_${version}-1_${arch}.deb
deb2=$B/posture_${version}.1-1_${arch}.deb
fail() { echo "package test: FAIL: $*" >&2; exit 1; }
ok() { echo "package test: ok: $*"; }

[ -f "$deb1" ] || fail "$deb1 is missing (make deb)"
sh scripts/build-deb.sh "$B/deb" "$deb2" "${version}.1" >/dev/null
lintian --fail-on error,warning "$deb1" 2>/dev/null || fail "lintian reports errors or warnings"
ok "lintian: no errors or warnings"

if dpkg-query -W posture >/dev/null 2>&1; then dpkg --purge posture >/dev/null; fi
before=$(mktemp)
after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
list() { find /etc /usr /lib /var/lib -xdev -path /var/lib/dpkg -prune -o -print 2>/dev/null | sort; }
list >"$before"

DEBIAN_FRONTEND=noninteractive dpkg -i "$deb1" >/dev/null || fail "dpkg -i"
for f in /usr/bin/posture /usr/libexec/posture/posture-net /lib/systemd/system/posture.service \
	/etc/posture/posture.ini /etc/posture/policy.ini /usr/share/man/man8/posture.8.gz \
	/usr/share/man/man5/posture.ini.5.gz /usr/share/man/man5/posture-policy.5.gz \
	/usr/share/posture/policies/baseline.ini /usr/share/doc/posture/copyright; do
	[ -e "$f" ] || fail "$f not installed"
done
ok "files installed"
# the installed (compressed) manual pages render cleanly
for m in /usr/share/man/man8/posture.8.gz /usr/share/man/man5/posture.ini.5.gz \
	/usr/share/man/man5/posture-policy.5.gz; do
	out=$(zcat "$m" | mandoc -T lint -W warning 2>&1) || true
	[ -z "$out" ] || fail "mandoc -T lint $m: $out"
done
ok "mandoc -T lint clean on the installed pages"
getent passwd posture >/dev/null || fail "no posture user"
[ "$(getent passwd posture | cut -d: -f7)" != /bin/bash ] || fail "the posture user has a login shell"
ok "posture system user"
[ -L /etc/systemd/system/multi-user.target.wants/posture.service ] || fail "the unit is not enabled"
ok "unit enabled"
[ "$(posture version)" = "posture $version" ] || fail "posture version says $(posture version)"
rc=0
posture check --policy /etc/posture/policy.ini >/dev/null 2>&1 || rc=$?
[ $rc -le 3 ] && [ $rc -ne 2 ] || fail "posture check exited $rc"
ok "posture check runs against the installed policy (exit $rc)"
out=$(systemd-analyze verify /lib/systemd/system/posture.service 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
ok "systemd-analyze verify"
exposure=$(systemd-analyze security --offline=yes /lib/systemd/system/posture.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for posture.service: \([0-9.]*\).*/\1/p')
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' || fail "exposure $exposure > 2.5"
ok "systemd-analyze security exposure $exposure"

echo "; edited here" >>/etc/posture/posture.ini
DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold "$deb2" >/dev/null || fail "upgrade"
[ "$(dpkg-query -W -f '${Version}' posture)" = "${version}.1-1" ] || fail "not upgraded"
grep -q "; edited here" /etc/posture/posture.ini || fail "the edited conffile was replaced"
ok "upgraded to ${version}.1-1, the edited conffile kept"

mkdir -p /var/lib/posture/spool && echo x >/var/lib/posture/spool/leftover
dpkg --purge posture >/dev/null || fail "dpkg --purge"
list >"$after"
left=$(comm -13 "$before" "$after")
[ -z "$left" ] || fail "left behind after purge: $left"
ok "purged: nothing left behind"
