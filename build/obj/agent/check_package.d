build/obj/agent/check_package.o: agent/check_package.c agent/checks.h \
 agent/diag.h agent/keys.h agent/policy.h agent/engine.h platform/probe.h \
 platform/rootfs.h agent/version.h
agent/checks.h:
agent/diag.h:
agent/keys.h:
agent/policy.h:
agent/engine.h:
platform/probe.h:
platform/rootfs.h:
agent/version.h:
