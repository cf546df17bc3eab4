#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Makes the certificates the transport tests and benchmarks use, with the
# openssl command line (the same library the collector and nginx use):
#   ca.pem/ca.key            the collector's CA (P-256)
#   other-ca.pem             a CA nobody trusts
#   server.pem/server.key    localhost and 127.0.0.1, signed by ca
#   wrongname.pem/.key       wrong.example only, signed by ca
#   expired.pem/.key         localhost, valid only in January 2020
#   device.crt/device.key    a device's client certificate, signed by ca
#   server.pin               sha256//BASE64 of server.pem's public key
#   policy.key/policy.pub    an Ed25519 policy-signing key; rsa.pub one that is not
# Usage: make-certs.sh DIR
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 30 -subj "/CN=Posture test CA" 2>/dev/null
openssl req -x509 $ec -keyout other-ca.key -out other-ca.pem -days 30 -subj "/CN=Someone else" 2>/dev/null
sign() { # name subject san
	openssl req $ec -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
	printf 'subjectAltName=%s\n' "$3" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" \
		-days 30 -extfile "$1.ext" 2>/dev/null
}
sign server localhost "DNS:localhost,IP:127.0.0.1"
sign wrongname wrong.example "DNS:wrong.example"
sign device device-test "DNS:device-test"
mv device.pem device.crt
# an expired server certificate needs explicit dates: openssl ca
openssl req $ec -keyout expired.key -out expired.csr -subj "/CN=localhost" 2>/dev/null
mkdir -p ca-db
: > ca-db/index.txt
echo 1000 > ca-db/serial
cat > ca-db/ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = $PWD/ca-db/index.txt
new_certs_dir = $PWD/ca-db
serial = $PWD/ca-db/serial
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
[ext]
subjectAltName = DNS:localhost,IP:127.0.0.1
CNF
openssl ca -batch -config ca-db/ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr \
	-out expired.pem -startdate 20200101000000Z -enddate 20200201000000Z \
	-extensions ext -notext 2>/dev/null
printf 'sha256//%s\n' "$(openssl x509 -in server.pem -pubkey -noout |
	openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)" > server.pin
chmod 0644 ./*.pem ./*.key ./*.crt
# the collector's policy-signing key (Ed25519) and an RSA key that is not one
openssl genpkey -algorithm ed25519 -out policy.key 2>/dev/null
openssl pkey -in policy.key -pubout -out policy.pub 2>/dev/null
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl pkey -in rsa.key -pubout -out rsa.pub 2>/dev/null
chmod 0644 policy.key policy.pub rsa.key rsa.pub
