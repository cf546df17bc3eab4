build/obj/agent/engine.o: agent/engine.c agent/engine.h agent/policy.h \
 agent/diag.h agent/keys.h platform/probe.h platform/rootfs.h \
 agent/checks.h
agent/engine.h:
agent/policy.h:
agent/diag.h:
agent/keys.h:
platform/probe.h:
platform/rootfs.h:
agent/checks.h:
