# SPDX-License-Identifier: Apache-2.0
# Posture: endpoint posture agent. See README.md.
#
#   make            build build/posture
#   make test       unit, CLI, differential and fuzz-corpus tests, then all
#                   of them again under AddressSanitizer + UBSan
#   make check      formatting, banned functions, cppcheck
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#   make bench      benchmarks (see bench/RESULTS.md)
#   make install    DESTDIR= PREFIX=/usr/local

VERSION  := $(shell cat VERSION)
UNAME    := $(shell uname -s)
PLATFORM ?= $(if $(filter Darwin,$(UNAME)),macos,linux)
PREFIX   ?= /usr/local
BUILD    ?= build
SANITIZE ?=
FUZZ_SECONDS ?= 60

CC       ?= cc
# libsqlite3 (rpm databases, platform/linux/packages.c) and libcrypto
# (reports' ids and hash, platform/crypto.c) are loaded with dlopen() when
# first needed, so only their headers are needed here.
PKGS     := jansson libnftnl libmnl libuv
# Debian's libinih: not linked by any program (lib/inifile.c reads INI on
# every OS); the oracle its tests and fuzz target compare against.
INIH_ORACLE := $(shell pkg-config --cflags inih 2>/dev/null) -l:libinih.a
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) sqlite3 libcrypto 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -llz4 -lz -llzma -lzstd -lzck -lexpat -ldl

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral
# snprintf truncation is deliberate wherever it is used; gcc's warning for
# it has no clang equivalent.
ifneq ($(findstring clang,$(shell $(CC) --version 2>/dev/null)),clang)
WARN     += -Wno-format-truncation
endif
DEFS     := -D_DEFAULT_SOURCE -DPOSTURE_VERSION='"$(VERSION)"' \
            -DPOSTURE_LIBEXECDIR='"$(PREFIX)/libexec/posture"' \
            -DPOSTURE_DATADIR='"$(PREFIX)/share/posture"'

# The network process (agent/net/, build/posture-net) is the only program
# that links libcurl and OpenSSL; libseccomp gives it its system-call filter.
NET_PKGS   := libcurl libuv libcrypto jansson
NET_CFLAGS := $(shell pkg-config --cflags $(NET_PKGS) 2>/dev/null)
NET_LIBS   := $(shell pkg-config --libs $(NET_PKGS) 2>/dev/null)
ifeq ($(shell pkg-config --exists libseccomp 2>/dev/null && echo yes),yes)
NET_CFLAGS += -DHAVE_SECCOMP $(shell pkg-config --cflags libseccomp)
NET_LIBS   += $(shell pkg-config --libs libseccomp)
endif
INCS     := -Ilib -Iplatform -Iplatform/$(PLATFORM) -Iagent $(PKG_CFLAGS)

ifeq ($(SANITIZE),1)
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
else
OPT      := -O2 -g -D_FORTIFY_SOURCE=3
LDSAN    :=
endif

CFLAGS   ?=
LDFLAGS  ?=
BASE_CFLAGS := -std=c11 $(OPT) $(WARN) -fstack-protector-strong -fPIE $(DEFS) $(CFLAGS)
ALL_CFLAGS  := $(BASE_CFLAGS) $(INCS)
# C++ (collector/reportscan.cc only): no exceptions, no RTTI, so nothing
# C++ crosses into the C around it. UBSan's vptr check needs RTTI.
CXX      ?= c++
CXXFLAGS ?=
ALL_CXXFLAGS := -std=c++17 $(OPT) $(if $(filter 1,$(SANITIZE)),-fno-sanitize=vptr) -Wall -Wextra \
  -Werror -Wshadow -fno-exceptions -fno-rtti -fstack-protector-strong -fPIE -D_DEFAULT_SOURCE \
  $(CXXFLAGS)
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDSAN) $(LDFLAGS)

# macOS (PLATFORM=macos, the default on a Mac): Apple's clang and the
# libraries from Homebrew's pkg-config (brew install pkg-config libuv
# jansson curl openssl@3; PKG_CONFIG_PATH may need openssl@3's). Apple's
# linker makes position-independent, read-only-relocated programs by
# default and knows none of GNU ld's -z options. Not run on this project's
# CI (README.md, "What was not run here").
ifeq ($(PLATFORM),macos)
PKGS        := jansson libuv
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) libcrypto 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_LDFLAGS := $(LDSAN) $(LDFLAGS)
BASE_CFLAGS += -include platform/macos/compat.h
INCS        := -Ilib -Iplatform -Iplatform/$(PLATFORM) -Iagent $(PKG_CFLAGS)
ALL_CFLAGS  := $(BASE_CFLAGS) $(INCS)
endif

# The layers (docs/internals/ARCHITECTURE.md), each built with the include
# path of what it may use, so a header from a layer above does not compile:
#   lib/        the policy language, check specs, diagnostics, version
#               orderings, times, IPC framing: no OS call, no network
#   platform/   every OS call: probes, rootfs, the sandbox; one folder per
#               OS, chosen by PLATFORM (linux, macos, none; Windows:
#               mk/windows.mk)
#   agent/      the engine, judges, service and outputs (posture), and
#   agent/net/  the network process (posture-net)
#   collector/  the server (posture-collector): lib/ only
CORE_SRCS := $(sort $(wildcard lib/*.c lib/checks/*.c))
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
CORE     := $(BUILD)/libposture-core.a
# platform/*.c serves every OS; platform/winrec/ reads Windows' API answers
# as records, built everywhere so captured answers are tested here;
# platform/darwin/ reads a Mac's disk (--root), built everywhere likewise;
# platform/posix/ the Unix-like ones; each
# OS's folder holds its probes and its OS interface (os.h). PLATFORM=none
# is an OS with every probe a stub: it proves that the rest builds and
# links without any, as a new port starts.
PLATFORM_DIRS_linux := posix linux
PLATFORM_DIRS_macos := posix macos
PLATFORM_DIRS_none  := none
PLATFORM_DIRS := $(or $(PLATFORM_DIRS_$(PLATFORM)),$(PLATFORM))
# the stubs of platform/none/ that an OS links for probes it does not have
PLATFORM_STUBS_linux := platform/none/antivirus.c platform/none/integrity.c
# macOS: the running Mac is judged by platform/darwin/ (probeset.c), so the
# native probes are never asked and platform/none's stand in for them; its
# OS interface is platform/macos/'s, with POSIX's state folder, files,
# service answers and dlopen
PLATFORM_STUBS_macos := $(filter-out platform/none/system.c platform/none/files.c \
  platform/none/sandbox.c platform/none/confine.c,$(wildcard platform/none/*.c))
PLATFORM_EXCLUDE_macos := platform/posix/unmanaged.c
# none has no probes, but its service still refuses a state directory
# others may write to (os_dir_trusted): POSIX's rule, and POSIX's answers
# to os.h's service-manager questions
PLATFORM_STUBS_none := platform/posix/statedir.c platform/posix/unmanaged.c \
  platform/posix/service.c platform/posix/dl.c
PLATFORM_SRCS := $(filter-out $(PLATFORM_EXCLUDE_$(PLATFORM)), \
                 $(sort $(wildcard platform/*.c platform/winrec/*.c platform/darwin/*.c)) \
                 $(sort $(foreach d,$(PLATFORM_DIRS),$(wildcard platform/$(d)/*.c))) \
                 $(PLATFORM_STUBS_$(PLATFORM)))
AGENT_SRCS := $(filter-out agent/main.c,$(sort $(wildcard agent/*.c agent/judges/*.c)))
# Every module of the agent but the command line, over the platform and
# the core: the library that the tests and fuzz targets link.
LIB_SRCS := $(AGENT_SRCS) $(PLATFORM_SRCS)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libposture.a
AGENT_OBJS := $(AGENT_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/agent/main.o
PLATFORM_OBJS := $(PLATFORM_SRCS:%.c=$(BUILD)/obj/%.o)

# tests/unit: no root, network or server; tests/integration: servers (the
# collector, nginx, PostgreSQL), root, network namespaces, real programs.
# make test runs both; a test that cannot run says SKIP.
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
INTEGRATION_SRCS := $(sort $(wildcard tests/integration/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%) \
              $(INTEGRATION_SRCS:tests/integration/%.c=$(BUILD)/tests/%)
FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/replay/%)

.PHONY: deb-collector rpm-collector pkg windows test-windows test-none check-cycles bench-layers demo deb rpm msi all test test-run test-real test-dashboard test-testssl test-package test-demo check fuzz bench install uninstall clean format

# On a Mac the agent alone (the collector is a server: Linux)
ALL_TARGETS := $(BUILD)/posture $(BUILD)/posture-net \
  $(if $(filter macos,$(PLATFORM)),,$(BUILD)/posture-collector)
all: $(ALL_TARGETS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# lib/ sees only itself; platform/ sees lib/ and itself.
$(BUILD)/obj/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ilib $(shell pkg-config --cflags jansson) -MMD -MP -c $< -o $@

$(BUILD)/obj/platform/%.o: platform/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ilib -Iplatform -Iplatform/$(PLATFORM) $(PKG_CFLAGS) $(PLATFORM_CFLAGS) -MMD -MP -c $< -o $@

$(CORE): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIB): $(LIB_OBJS) $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/posture: $(BUILD)/obj/agent/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

NET_SRCS := $(sort $(wildcard agent/net/*.c))
NET_OBJS := $(NET_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/obj/agent/net/%.o: agent/net/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(NET_CFLAGS) -MMD -MP -c $< -o $@

# its sandbox and log sink are the platform's
NET_PLATFORM_OBJS := $(BUILD)/obj/platform/ipcfd.o $(BUILD)/obj/platform/$(PLATFORM)/system.o \
  $(BUILD)/obj/platform/logline.o $(BUILD)/obj/platform/$(PLATFORM)/sandbox.o
$(BUILD)/obj/platform/$(PLATFORM)/sandbox.o: PLATFORM_CFLAGS = $(NET_CFLAGS)

$(BUILD)/posture-net: $(NET_OBJS) $(BUILD)/obj/lib/ipc.o $(BUILD)/obj/lib/timefmt.o \
  $(BUILD)/obj/agent/log.o $(NET_PLATFORM_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(NET_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lssl -lcrypto -lsqlite3 -lcmocka $(INIH_ORACLE)

$(BUILD)/tests/%: tests/integration/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lssl -lcrypto -lsqlite3 -lcmocka

# Fuzz targets replayed over their corpora by an ordinary main(), so that
# make test needs no clang; `make fuzz` builds the real libFuzzer binaries.
$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/scratch.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(INIH_ORACLE)

# The collector: its own modules over lib/ alone (the policy language
# validates what it publishes); links OpenSSL and SQLite directly, and
COLLECTOR_SRCS := $(sort $(wildcard collector/*.c))
# simdjson (reportscan.cc, the writer's JSON validator) has no C interface:
# the collector's one C++ file wraps it behind a C function.
COLLECTOR_CXX_SRCS := $(sort $(wildcard collector/*.cc))
COLLECTOR_OBJS := $(COLLECTOR_SRCS:%.c=$(BUILD)/obj/%.o) $(COLLECTOR_CXX_SRCS:%.cc=$(BUILD)/obj/%.o)
COLLECTOR_PKGS := libcrypto libssl sqlite3 libpq jansson yajl libh2o libuv libzstd simdjson libcurl

$(BUILD)/obj/collector/%.o: collector/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ilib -Icollector $(shell pkg-config --cflags $(COLLECTOR_PKGS)) -MMD -MP -c $< -o $@

$(BUILD)/obj/collector/%.o: collector/%.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -Icollector $(shell pkg-config --cflags simdjson) -MMD -MP -c $< -o $@

# the dashboard's files are assembled into dashboard.o (.incbin)
$(BUILD)/obj/collector/dashboard.o: $(wildcard collector/dashboard/*)

$(BUILD)/posture-collector: $(COLLECTOR_OBJS) $(CORE)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(COLLECTOR_LIBS)

# Tests and fuzz targets of the collector's modules link them directly.
COLLECTOR_LIB_OBJS := $(filter-out $(BUILD)/obj/collector/main.o,$(COLLECTOR_OBJS))
COLLECTOR_LIBS = $(shell pkg-config --libs $(COLLECTOR_PKGS)) -lstdc++

COLLECTOR_UNIT_TESTS := $(BUILD)/tests/test_store $(BUILD)/tests/test_collector $(BUILD)/tests/test_jwt
COLLECTOR_INTEGRATION_TESTS := $(BUILD)/tests/test_fleet
COLLECTOR_TEST_LINK = $(CC) $(BASE_CFLAGS) -Ilib -Itests/unit -Icollector \
  $(shell pkg-config --cflags $(COLLECTOR_PKGS)) -o $@ $< $(COLLECTOR_LIB_OBJS) $(CORE) \
  $(ALL_LDFLAGS) $(COLLECTOR_LIBS) -lcmocka

$(COLLECTOR_UNIT_TESTS): $(BUILD)/tests/%: tests/unit/%.c $(COLLECTOR_LIB_OBJS) $(CORE) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(COLLECTOR_TEST_LINK)

$(COLLECTOR_INTEGRATION_TESTS): $(BUILD)/tests/%: tests/integration/%.c $(COLLECTOR_LIB_OBJS) $(CORE) \
  tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(COLLECTOR_TEST_LINK)

$(BUILD)/replay/fuzz_collector_%: tests/fuzz/fuzz_collector_%.c tests/fuzz/replay.c $(COLLECTOR_LIB_OBJS) $(CORE)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ilib -Icollector -o $@ $< tests/fuzz/replay.c $(COLLECTOR_LIB_OBJS) $(CORE) \
	  $(ALL_LDFLAGS) $(COLLECTOR_LIBS)

# Fuzz targets of the network process's parsers link its modules (OpenSSL,
# jansson) rather than the agent's library alone.
NET_LIB_OBJS := $(filter-out $(BUILD)/obj/agent/net/net.o,$(NET_OBJS))

$(BUILD)/replay/fuzz_net_%: tests/fuzz/fuzz_net_%.c tests/fuzz/replay.c $(NET_LIB_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(NET_CFLAGS) -Iagent/net -o $@ $< tests/fuzz/replay.c $(NET_LIB_OBJS) \
	  $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(NET_LIBS)

# The collector's load generator (bench/loadgen.c): the benchmark's client,
# and the SIGKILL test's load.
$(BUILD)/loadgen: bench/loadgen.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(NET_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(NET_LIBS)

# Builds of the collector that answer a report without storing it, after
# stage N of its way in (collector/serve.c, POSTURE_BENCH_ANSWER_AFTER):
# bench/collector.sh's breakdown of where the rate goes. Never installed.
BENCH_LAYERS := $(BUILD)/bench/collector-layer1 $(BUILD)/bench/collector-layer2 \
  $(BUILD)/bench/collector-layer3
BENCH_LAYER_OBJS := $(BENCH_LAYERS:$(BUILD)/bench/collector-layer%=$(BUILD)/obj/bench/serve-layer%.o)
bench-layers: $(BENCH_LAYERS)
$(BENCH_LAYER_OBJS): $(BUILD)/obj/bench/serve-layer%.o: collector/serve.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -DPOSTURE_BENCH_ANSWER_AFTER=$* -Ilib -Icollector \
	  $(shell pkg-config --cflags $(COLLECTOR_PKGS)) -MMD -MP -c $< -o $@
$(BENCH_LAYERS): $(BUILD)/bench/collector-layer%: $(BUILD)/obj/bench/serve-layer%.o \
  $(filter-out $(BUILD)/obj/collector/serve.o,$(COLLECTOR_OBJS)) $(CORE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(COLLECTOR_LIBS)

# The collector's writer alone (bench/store_bench.c).
$(BUILD)/store_bench: bench/store_bench.c $(COLLECTOR_LIB_OBJS) $(CORE)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ilib -Icollector -o $@ $< $(COLLECTOR_LIB_OBJS) $(CORE) $(ALL_LDFLAGS) \
	  $(COLLECTOR_LIBS)

# A store's size at steady state (bench/lifecycle_bench.c).
$(BUILD)/lifecycle_bench: bench/lifecycle_bench.c $(COLLECTOR_LIB_OBJS) $(CORE)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Ilib -Icollector -o $@ $< $(COLLECTOR_LIB_OBJS) $(CORE) $(ALL_LDFLAGS) \
	  $(COLLECTOR_LIBS)

# The plain build first, then the same tests under the sanitizers.
# (the benchmarks' own programs are built too, so they keep building)
test: $(BUILD)/posture $(BUILD)/posture-net $(BUILD)/posture-collector $(BUILD)/store_bench \
  $(BUILD)/lifecycle_bench \
  $(BENCH_LAYERS)
	$(MAKE) --no-print-directory test-none
	$(MAKE) --no-print-directory test-run
	$(MAKE) --no-print-directory BUILD=$(BUILD)/sanitize SANITIZE=1 test-run

# The platform-less build (PLATFORM=none): links, and skips every check.
test-none:
	@BUILD=$(BUILD) sh tests/platform/none.sh

test-run: $(BUILD)/posture $(BUILD)/posture-net $(BUILD)/posture-collector $(BUILD)/loadgen $(UNIT_BINS) $(REPLAY_BINS)
	@POSTURE=$(BUILD)/posture BUILD=$(BUILD) sh tests/run.sh $(UNIT_BINS) -- $(REPLAY_BINS)

# Against real programs that `scripts/install-deps.sh --real` installs
# (Debian's chromium and firefox-esr): slower to set up than `make test`.
$(BUILD)/tests/real_%: tests/real/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka

REAL_BINS := $(patsubst tests/real/%.c,$(BUILD)/tests/real_%,$(sort $(wildcard tests/real/test_*.c)))

test-real: $(REAL_BINS) test-dashboard test-testssl test-package test-demo test-windows
	@POSTURE=$(BUILD)/posture BUILD=$(BUILD) sh tests/run.sh $(REAL_BINS) --

# The Windows agent, cross-built with mingw-w64 against libraries built from
# Debian's source packages (scripts/win-deps.sh, cached in build/windows/deps
# and, when POSTURE_WIN_CACHE is set, there too), run under Debian's Wine.
windows:
	@$(MAKE) --no-print-directory -f mk/windows.mk

test-windows: windows
	@sh tests/windows/check.sh

# The Debian package with the real dpkg: install, upgrade, purge (root);
# the RPM with Debian's rpm; the MSI's tables with msiinfo.
test-package: deb rpm deb-collector rpm-collector windows $(BUILD)/posture-collector
	@BUILD=$(BUILD) sh tests/package/run.sh
	@BUILD=$(BUILD) sh tests/package/rpm.sh
	@BUILD=$(BUILD) sh tests/package/collector.sh
	@BUILD=$(BUILD) sh tests/package/msi.sh

# testssl.sh against the collector: nothing of severity MEDIUM or above.
test-testssl: $(BUILD)/posture-collector
	@BUILD=$(BUILD) sh tests/testssl/run.sh

# The dashboard in Debian's headless Chromium (playwright-core from npm).
test-dashboard: $(BUILD)/posture $(BUILD)/posture-collector $(BUILD)/loadgen windows
	@BUILD=$(BUILD) sh tests/dashboard/run.sh

fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang"; exit 1; }
	$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzzlib CC=clang SANITIZE=1 \
	    CFLAGS="-fsanitize=fuzzer-no-link" $(BUILD)/fuzzlib/libposture.a
	@mkdir -p $(BUILD)/fuzz
	clang++ -std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr \
	    -fno-exceptions -fno-rtti -Icollector $(shell pkg-config --cflags simdjson) \
	    -c collector/reportscan.cc -o $(BUILD)/fuzz/reportscan.o
	@set -e; for t in $(FUZZ_NAMES); do \
	  extra=""; \
	  case $$t in fuzz_net_*) extra="-Iagent/net agent/net/policysig.c agent/net/enroll.c \
	    $(NET_CFLAGS) $(NET_LIBS)";; \
	    fuzz_collector_*) extra="-Icollector collector/reportin.c collector/jwt.c $(BUILD)/fuzz/reportscan.o \
	    $(shell pkg-config --libs $(COLLECTOR_PKGS)) -lstdc++";; esac; \
	  clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) $(INCS) \
	    -o $(BUILD)/fuzz/$$t tests/fuzz/$$t.c $$extra $(BUILD)/fuzzlib/libposture.a $(PKG_LIBS) \
	    $(INIH_ORACLE); \
	  mkdir -p $(BUILD)/fuzz/corpus-$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  $(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    $(BUILD)/fuzz/corpus-$$t tests/fuzz/corpus/$$t; \
	done

# No dependency cycle between the objects of any program (docs/internals/
# ARCHITECTURE.md): each layer must build, test and port without the ones
# above it.
check-cycles: $(BUILD)/posture $(BUILD)/posture-net $(BUILD)/posture-collector
	@/usr/bin/python3 scripts/objcycles.py $(BUILD)/obj/agent/main.o $(LIB_OBJS) $(CORE_OBJS)
	@/usr/bin/python3 scripts/objcycles.py $(NET_OBJS) $(BUILD)/obj/lib/ipc.o $(BUILD)/obj/agent/log.o \
	  $(NET_PLATFORM_OBJS)
	@/usr/bin/python3 scripts/objcycles.py $(COLLECTOR_OBJS) $(CORE_OBJS)

check: check-cycles
	sh scripts/checksrc.sh
	@/usr/bin/python3 scripts/checklinks.py
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
	  --inline-suppr --suppress=missingIncludeSystem -Ilib -Iagent -Iplatform \
	  lib agent platform collector tests/fuzz
	@out=$$(mandoc -T lint -W warning man/*.5 man/*.8 2>&1); \
	  if [ -n "$$out" ]; then echo "$$out"; echo "man pages: mandoc -T lint is not clean"; exit 1; fi

format:
	clang-format -i lib/*.[ch] lib/checks/*.[ch] agent/*.[ch] agent/judges/*.c agent/net/*.[ch] collector/*.[ch] collector/*.cc platform/*.[ch] platform/*/*.[ch] tests/unit/*.[ch] tests/integration/*.c tests/fuzz/*.c

bench: $(BUILD)/posture
	sh bench/pkg_version.sh $(BUILD)/posture

# The whole product on this machine: collector, enrolled agent, fleet
# summary, dashboard (scripts/demo.sh; Ctrl-C stops it).
demo:
	@sh scripts/demo.sh

# make demo to completion, stopped by itself after a second.
test-demo:
	@DEMO_SECONDS=1 DEMO_PORT=$$((20000 + $$$$ % 10000)) sh scripts/demo.sh >$(BUILD)/demo.log 2>&1 || \
	  { cat $(BUILD)/demo.log; echo "make demo failed"; exit 1; }
	@grep -q "delivered (HTTP 201)" $(BUILD)/demo.log && grep -q "admin token:" $(BUILD)/demo.log && \
	  grep -q "demo: stopped" $(BUILD)/demo.log && echo "make demo: ran to completion and stopped cleanly"

# The agent's Debian package (scripts/build-deb.sh), built for /usr.
deb:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/deb PREFIX=/usr $(BUILD)/deb/posture $(BUILD)/deb/posture-net
	sh scripts/build-deb.sh $(BUILD)/deb $(BUILD)/posture_$(VERSION)-1_$(shell dpkg --print-architecture).deb

# The agent's RPM (scripts/build-rpm.sh, rpmbuild from Debian's rpm).
rpm:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/deb PREFIX=/usr $(BUILD)/deb/posture $(BUILD)/deb/posture-net
	sh scripts/build-rpm.sh $(BUILD)/deb $(BUILD)

# The collector's Debian package and RPM (scripts/build-deb-collector.sh,
# scripts/build-rpm-collector.sh), built for /usr.
deb-collector:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/deb PREFIX=/usr $(BUILD)/deb/posture-collector
	sh scripts/build-deb-collector.sh $(BUILD)/deb \
	  $(BUILD)/posture-collector_$(VERSION)-1_$(shell dpkg --print-architecture).deb

rpm-collector:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/deb PREFIX=/usr $(BUILD)/deb/posture-collector
	sh scripts/build-rpm-collector.sh $(BUILD)/deb $(BUILD)

# The Windows installer (scripts/build-msi.sh, wixl) around the Windows
# build of the agent: make msi WINDOWS_BUILD=DIR (DIR/posture.exe, x64).
msi:
	@test -n "$(WINDOWS_BUILD)" || { echo "make msi: WINDOWS_BUILD=DIR, the directory of the Windows build's posture.exe, is required" >&2; exit 2; }
	sh scripts/build-msi.sh $(WINDOWS_BUILD) $(BUILD)/posture-$(VERSION)-x64.msi

install: $(ALL_TARGETS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/posture \
	  $(DESTDIR)$(PREFIX)/share/posture/policies $(DESTDIR)$(PREFIX)/share/man/man5 \
	  $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(filter-out $(BUILD)/posture-net,$(ALL_TARGETS)) $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(BUILD)/posture-net $(DESTDIR)$(PREFIX)/libexec/posture/posture-net
	install -m 0644 policies/*.ini $(DESTDIR)$(PREFIX)/share/posture/policies/
	install -m 0644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/

# The macOS installer package (scripts/build-pkg.sh, pkgbuild and
# productbuild), on a Mac: unsigned, or signed with SIGN_APP="Developer ID
# Application: ..." and SIGN_INSTALLER="Developer ID Installer: ...".
pkg:
	@test "$(UNAME)" = Darwin || { echo "make pkg: runs on a Mac (pkgbuild, productbuild)" >&2; exit 2; }
	$(MAKE) --no-print-directory BUILD=$(BUILD)/pkg PREFIX=/usr/local PLATFORM=macos \
	  $(BUILD)/pkg/posture $(BUILD)/pkg/posture-net
	sh scripts/build-pkg.sh $(BUILD)/pkg $(BUILD)/posture-$(VERSION).pkg

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/posture $(DESTDIR)$(PREFIX)/bin/posture-collector
	rm -rf $(DESTDIR)$(PREFIX)/libexec/posture
	rm -rf $(DESTDIR)$(PREFIX)/share/posture
	rm -f $(DESTDIR)$(PREFIX)/share/man/man5/posture.ini.5 \
	  $(DESTDIR)$(PREFIX)/share/man/man5/posture-policy.5 \
	  $(DESTDIR)$(PREFIX)/share/man/man8/posture.8 \
	  $(DESTDIR)$(PREFIX)/share/man/man8/posture-collector.8

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(CORE_OBJS:.o=.d) $(NET_OBJS:.o=.d) $(COLLECTOR_OBJS:.o=.d) $(BUILD)/obj/agent/main.d \
  $(BENCH_LAYER_OBJS:.o=.d)
