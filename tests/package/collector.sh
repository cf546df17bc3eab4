#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The collector's packages (make test-package, part of make test-real;
# needs root). The Debian package with the real dpkg: lintian clean;
# install (the posture-collector user, its data directory made once with
# the CA and the store, owned by it and 0700; the configuration 0640 for
# root and the group; the unit enabled, systemd-analyze verify clean and
# its exposure 2.5 or less); the service as its unit runs it, serving;
# upgrade keeping an edited configuration and the data; purge, leaving
# nothing but the user. The RPM with Debian's rpm: digests, files,
# noreplace configuration, scriptlets, a scratch-root install and erase.
set -eu
B=${BUILD:-build}
[ "$(id -u)" = 0 ] || { echo "collector package test: needs root (dpkg -i)"; exit 1; }
arch=$(dpkg --print-architecture)
version=$(cat VERSION)
deb1=$B/posture-collector_${version}-1_${arch}.deb
deb2=$B/posture-collector_${version}.1-1_${arch}.deb
rpmfile=$B/posture-collector-$version-1.$(uname -m).rpm
fail() { echo "collector package test: FAIL: $*" >&2; exit 1; }
ok() { echo "collector package test: ok: $*"; }
pid=""
work=$(mktemp -d)
before=$work/before
after=$work/after
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

[ -f "$deb1" ] || fail "$deb1 is missing (make deb-collector)"
sh scripts/build-deb-collector.sh "$B/deb" "$deb2" "${version}.1" >/dev/null
lintian --fail-on error,warning "$deb1" >"$work/lintian" 2>&1 || { cat "$work/lintian" >&2; fail "lintian reports errors or warnings"; }
ok "lintian: no errors or warnings"

if dpkg-query -W posture-collector >/dev/null 2>&1; then dpkg --purge posture-collector >/dev/null; fi
list() { find /etc /usr /lib /var/lib -xdev -path /var/lib/dpkg -prune -o -print 2>/dev/null | sort; }
list >"$before"

DEBIAN_FRONTEND=noninteractive dpkg -i "$deb1" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i"; }
for f in /usr/bin/posture-collector /lib/systemd/system/posture-collector.service \
	/etc/posture-collector/collector.ini /usr/share/man/man8/posture-collector.8.gz \
	/usr/share/doc/posture-collector/copyright /var/lib/posture-collector/ca.pem \
	/var/lib/posture-collector/collector.db /var/lib/posture-collector/enroll-secret; do
	[ -e "$f" ] || fail "$f not installed"
done
ok "files installed, the data directory made"
grep -q "enrollment secret" "$work/install.log" || fail "the install did not say where the enrollment secret is"
getent passwd posture-collector >/dev/null || fail "no posture-collector user"
[ "$(stat -c '%U %a' /var/lib/posture-collector)" = "posture-collector 700" ] ||
	fail "the data directory is $(stat -c '%U %a' /var/lib/posture-collector)"
[ "$(stat -c '%U' /var/lib/posture-collector/ca.key)" = "posture-collector" ] || fail "the CA key is not the service's"
[ "$(stat -c '%U:%G %a' /etc/posture-collector/collector.ini)" = "root:posture-collector 640" ] ||
	fail "collector.ini is $(stat -c '%U:%G %a' /etc/posture-collector/collector.ini)"
ok "posture-collector user owns its data (0700); the configuration is root:posture-collector 0640"
[ -L /etc/systemd/system/multi-user.target.wants/posture-collector.service ] || fail "the unit is not enabled"
ok "unit enabled"
out=$(zcat /usr/share/man/man8/posture-collector.8.gz | mandoc -T lint -W warning 2>&1) || true
[ -z "$out" ] || fail "mandoc -T lint: $out"
out=$(systemd-analyze verify /lib/systemd/system/posture-collector.service 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
exposure=$(systemd-analyze security --offline=yes /lib/systemd/system/posture-collector.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for posture-collector.service: \([0-9.]*\).*/\1/p')
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' || fail "exposure $exposure > 2.5"
ok "systemd-analyze verify clean; security exposure $exposure"

# the service as its unit starts it (there is no systemd here): its user,
# its configuration; it serves the CRL and refuses the fleet API unsigned
port=$((24000 + $$ % 8000)) # below the ephemeral range (32768 and up)
runuser -u posture-collector -- /usr/bin/posture-collector serve \
	--config /etc/posture-collector/collector.ini --listen "127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
i=0
until curl -s -o /dev/null --cacert /var/lib/posture-collector/ca.pem "https://localhost:$port/v1/crl"; do
	i=$((i + 1)); [ $i -gt 200 ] && { cat "$work/serve.log" >&2; fail "the installed collector does not serve"; }
	sleep 0.05
done
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert /var/lib/posture-collector/ca.pem "https://localhost:$port/v1/fleet/summary")
[ "$code" = 401 ] || fail "the fleet API without a token answered $code"
token=$(cat /var/lib/posture-collector/admin-token)
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert /var/lib/posture-collector/ca.pem \
	-H "Authorization: Bearer $token" "https://localhost:$port/v1/fleet/summary")
[ "$code" = 200 ] || fail "the fleet API with the admin token answered $code"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
ok "serves as the posture-collector user from the packaged configuration"
# the commands find the packaged configuration without --dir
posture-collector devices >/dev/null || fail "posture-collector devices without --dir"
ok "commands read /etc/posture-collector/collector.ini"

ca_before=$(sha256sum /var/lib/posture-collector/ca.pem)
echo "; edited here" >>/etc/posture-collector/collector.ini
DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold "$deb2" >/dev/null 2>&1 || fail "upgrade"
[ "$(dpkg-query -W -f '${Version}' posture-collector)" = "${version}.1-1" ] || fail "not upgraded"
grep -q "; edited here" /etc/posture-collector/collector.ini || fail "the edited configuration was replaced"
[ "$(sha256sum /var/lib/posture-collector/ca.pem)" = "$ca_before" ] || fail "the upgrade made a new CA"
ok "upgraded to ${version}.1-1: the edited configuration and the CA kept"

dpkg --purge posture-collector >/dev/null 2>&1 || fail "dpkg --purge"
list >"$after"
left=$(comm -13 "$before" "$after")
[ -z "$left" ] || fail "left behind after purge: $left"
ok "purged: nothing left behind"

# the RPM
[ -f "$rpmfile" ] || fail "$rpmfile is missing (make rpm-collector)"
rpm -K --nosignature "$rpmfile" >/dev/null || fail "rpm digests"
files=$(rpm -qpl "$rpmfile" 2>/dev/null)
for f in /usr/bin/posture-collector /usr/lib/systemd/system/posture-collector.service \
	/etc/posture-collector/collector.ini /usr/share/man/man8/posture-collector.8.gz; do
	echo "$files" | grep -qx "$f" || fail "$f is not in the RPM"
done
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpmfile" 2>/dev/null |
	grep -q '^cn /etc/posture-collector/collector.ini$' || fail "collector.ini is not %config(noreplace)"
req=$(rpm -qpR "$rpmfile" 2>/dev/null)
for lib in 'libcurl.so.4()(64bit)' 'libpq.so.5()(64bit)' 'libsqlite3.so.0()(64bit)' 'libh2o.so.0.13()(64bit)'; do
	echo "$req" | grep -qxF "$lib" || fail "the RPM does not require $lib"
done
scripts=$(rpm -qp --scripts "$rpmfile" 2>/dev/null)
echo "$scripts" | grep -q "useradd -r -g posture-collector" || fail "no user in %pre"
echo "$scripts" | grep -q "posture-collector init" || fail "no data directory made in %post"
echo "$scripts" | grep -q "rm -rf /var/lib/posture-collector" || fail "data not removed on erase"
root=$work/rpmroot
mkdir -p "$root"
rpm --root "$root" --initdb
rpm --root "$root" -i --nodeps --noscripts "$rpmfile" 2>/dev/null || fail "RPM install into a scratch root"
"$root/usr/bin/posture-collector" help >/dev/null || fail "the RPM's posture-collector does not run"
rpm --root "$root" -e --nodeps --noscripts posture-collector 2>/dev/null || fail "RPM erase"
left=$(find "$root" -path "$root/var/lib/rpm" -prune -o -path "$root/usr/lib/sysimage" -prune -o \
	-path "$root/root/.rpmdb" -prune -o \( -type f -o -type l \) -print)
[ -z "$left" ] || fail "left behind by the RPM: $left"
ok "RPM: digests, files, noreplace configuration, scriptlets, installed and erased cleanly"
