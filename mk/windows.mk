# SPDX-License-Identifier: Apache-2.0
# The Windows agent, cross-built with Debian's mingw-w64 (x86_64) against
# the libraries scripts/win-deps.sh builds from Debian's source packages:
#   make windows        (the Makefile's target; this file does the work)
# Everything Windows-specific is in platform/win/, chosen here as the
# Makefile's PLATFORM chooses platform/linux/.
HOST   := x86_64-w64-mingw32
WCC    := $(HOST)-gcc
WBUILD := build/windows
WDEPS  := $(WBUILD)/deps
VERSION := $(shell cat VERSION)

WCFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
  -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation \
  -D_DEFAULT_SOURCE -D__USE_MINGW_ANSI_STDIO=1 -D_POSIX_THREAD_SAFE_FUNCTIONS -D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00 \
  -DPOSTURE_VERSION='"$(VERSION)"' -DPOSTURE_LIBEXECDIR='"C:\\Program Files\\Posture"' \
  -DPOSTURE_DATADIR='"C:\\Program Files\\Posture"' -DJANSSON_STATIC -DCURL_STATICLIB -DPOSTURE_CHECK_ONLY
WINCS := -Ilib -Iplatform -Iplatform/win -Iplatform/win/compat -Iagent \
  -I$(WDEPS)/include -I$(WDEPS)/include/tre
# statically, so the MSI carries no DLLs beside the programs
WLDFLAGS := -static
# posture.exe: no OpenSSL (crypto.h is CNG's on Windows) and no libuv yet
WLIBS := -L$(WDEPS)/lib -ljansson -ltre -lbcrypt -lversion -lole32 -loleaut32 -lwbemuuid -luuid -ladvapi32

# lib/atomicfile.c serves the service, enrollment and spool, which this
# build does not have yet
CORE_SRCS := $(filter-out lib/atomicfile.c,$(sort $(wildcard lib/*.c lib/checks/*.c)))
AGENT_SRCS := agent/main.c agent/config.c agent/device.c agent/engine.c \
  agent/judges.c agent/verdict.c agent/report.c agent/mdm.c agent/log.c \
  $(sort $(wildcard agent/judges/*.c))
# the probes not written for Windows yet: platform/none's stubs ("not
# supported on this OS"), one file per area
NONE_SRCS := platform/none/password.c \
  platform/none/sysctl.c platform/none/proc.c
PLATFORM_SRCS := platform/probe.c platform/logline.c platform/sha256hex.c platform/posix/files.c \
  $(sort $(wildcard platform/win/*.c platform/winrec/*.c)) \
  $(NONE_SRCS)
SRCS := $(CORE_SRCS) $(AGENT_SRCS) $(PLATFORM_SRCS)
OBJS := $(SRCS:%.c=$(WBUILD)/obj/%.o)

all: $(WBUILD)/posture.exe

$(WDEPS)/.stamp: scripts/win-deps.sh
	sh scripts/win-deps.sh $(WDEPS)

$(WBUILD)/obj/%.o: %.c $(WDEPS)/.stamp
	@mkdir -p $(dir $@)
	$(WCC) $(WCFLAGS) $(WINCS) -MMD -MP -c $< -o $@

$(WBUILD)/posture.exe: $(OBJS)
	$(WCC) $(WLDFLAGS) -o $@ $(OBJS) $(WLIBS)

-include $(OBJS:.o=.d)
