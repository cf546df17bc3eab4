build/obj/agent/check_os.o: agent/check_os.c agent/checks.h agent/diag.h \
 agent/keys.h agent/policy.h agent/engine.h platform/probe.h \
 platform/rootfs.h agent/version.h
agent/checks.h:
agent/diag.h:
agent/keys.h:
agent/policy.h:
agent/engine.h:
platform/probe.h:
platform/rootfs.h:
agent/version.h:
