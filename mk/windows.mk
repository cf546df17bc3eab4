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
  -DPOSTURE_DATADIR='"C:\\Program Files\\Posture"' -DJANSSON_STATIC -DCURL_STATICLIB
WINCS := -Ilib -Iplatform -Iplatform/win -Iplatform/win/compat -Iagent -I$(WBUILD)/gen \
  -I$(WDEPS)/include -I$(WDEPS)/include/tre
# statically, so the MSI carries no DLLs beside the programs, and stripped
# (the objects keep -g for a debugger); binmode.o
# makes the CRT's files binary, as POSIX's are (no CRLF in a report)
WLDFLAGS := -static -s $(shell $(WCC) -print-file-name=binmode.o)
# libuv's own needs (and clock_gettime, winpthreads'): sockets, the IP helper, user profiles, process info
UV_LIBS := -luv -lpthread -lws2_32 -liphlpapi -luserenv -lpsapi -ldbghelp -lole32 -luuid
# posture.exe: no OpenSSL (crypto.h is CNG's on Windows; keys and
# certificates are posture-net.exe's)
WLIBS := -L$(WDEPS)/lib -ljansson -ltre $(UV_LIBS) -lbcrypt -lversion -loleaut32 -lwbemuuid \
  -ladvapi32 -lwtsapi32
NET_WLIBS := -L$(WDEPS)/lib -lcurl -lssl -lcrypto -lz -ljansson $(UV_LIBS) -lcrypt32 -lbcrypt \
  -ladvapi32 -luser32

CORE_SRCS := $(sort $(wildcard lib/*.c lib/checks/*.c))
# agent/status.c is the Unix socket; platform/win/status.c the named pipe
AGENT_SRCS := $(filter-out agent/status.c,$(sort $(wildcard agent/*.c agent/judges/*.c)))
# the probes not written for Windows yet: platform/none's stubs ("not
# supported on this OS"), one file per area
NONE_SRCS := platform/none/password.c platform/none/integrity.c \
  platform/none/sysctl.c platform/none/proc.c
# platform/win/sandbox.c serves posture-net.exe alone
PLATFORM_SRCS := platform/probe.c platform/probeset.c platform/plist.c platform/logline.c \
  platform/sha256hex.c platform/posix/files.c $(sort $(wildcard platform/darwin/*.c)) \
  $(filter-out platform/win/sandbox.c,$(sort $(wildcard platform/win/*.c platform/winrec/*.c))) \
  $(NONE_SRCS)
SRCS := $(CORE_SRCS) $(AGENT_SRCS) $(PLATFORM_SRCS)
OBJS := $(SRCS:%.c=$(WBUILD)/obj/%.o)
NET_SRCS := $(sort $(wildcard agent/net/*.c)) lib/ipc.c lib/timefmt.c agent/log.c platform/ipcfd.c \
  platform/logline.c platform/win/system.c platform/win/posixat.c platform/win/sandbox.c
NET_OBJS := $(NET_SRCS:%.c=$(WBUILD)/obj/%.o)

all: $(WBUILD)/posture.exe $(WBUILD)/posture-net.exe $(WBUILD)/posture.msi

# the installer around them (wixl, from Debian's msitools)
$(WBUILD)/posture.msi: $(WBUILD)/posture.exe $(WBUILD)/posture-net.exe installer/windows/posture.wxs \
  installer/windows/posture.ini policies/windows-baseline.ini scripts/build-msi.sh
	sh scripts/build-msi.sh $(WBUILD) $@

$(WDEPS)/.stamp: scripts/win-deps.sh
	sh scripts/win-deps.sh $(WDEPS)

$(WBUILD)/obj/%.o: %.c $(WDEPS)/.stamp
	@mkdir -p $(dir $@)
	$(WCC) $(WCFLAGS) $(WINCS) -MMD -MP -c $< -o $@

# the Event Log's message table (platform/win/messages.mc), a resource of
# posture.exe, which the MSI names as the source's EventMessageFile
$(WBUILD)/gen/messages.h $(WBUILD)/gen/messages.rc &: platform/win/messages.mc
	@mkdir -p $(WBUILD)/gen
	$(HOST)-windmc -h $(WBUILD)/gen -r $(WBUILD)/gen $<
$(WBUILD)/obj/messages.o: $(WBUILD)/gen/messages.rc
	@mkdir -p $(dir $@)
	$(HOST)-windres -I$(WBUILD)/gen -i $< -o $@
$(WBUILD)/obj/platform/win/system.o: $(WBUILD)/gen/messages.h

$(WBUILD)/posture.exe: $(OBJS) $(WBUILD)/obj/messages.o
	$(WCC) $(WLDFLAGS) -o $@ $(OBJS) $(WBUILD)/obj/messages.o $(WLIBS)

$(WBUILD)/posture-net.exe: $(NET_OBJS)
	$(WCC) $(WLDFLAGS) -o $@ $(NET_OBJS) $(NET_WLIBS)

-include $(OBJS:.o=.d) $(NET_OBJS:.o=.d)
