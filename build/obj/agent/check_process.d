build/obj/agent/check_process.o: agent/check_process.c agent/checks.h \
 agent/diag.h agent/keys.h agent/policy.h agent/engine.h platform/probe.h \
 platform/rootfs.h
agent/checks.h:
agent/diag.h:
agent/keys.h:
agent/policy.h:
agent/engine.h:
platform/probe.h:
platform/rootfs.h:
