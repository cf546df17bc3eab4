build/obj/agent/report.o: agent/report.c agent/report.h agent/engine.h \
 agent/policy.h agent/diag.h agent/keys.h platform/probe.h \
 platform/rootfs.h agent/checks.h agent/device.h
agent/report.h:
agent/engine.h:
agent/policy.h:
agent/diag.h:
agent/keys.h:
platform/probe.h:
platform/rootfs.h:
agent/checks.h:
agent/device.h:
