build/obj/agent/main.o: agent/main.c agent/config.h agent/diag.h \
 agent/engine.h agent/policy.h agent/keys.h platform/probe.h \
 platform/rootfs.h agent/report.h
agent/config.h:
agent/diag.h:
agent/engine.h:
agent/policy.h:
agent/keys.h:
platform/probe.h:
platform/rootfs.h:
agent/report.h:
