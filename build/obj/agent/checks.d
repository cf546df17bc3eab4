build/obj/agent/checks.o: agent/checks.c agent/checks.h agent/diag.h \
 agent/keys.h agent/policy.h
agent/checks.h:
agent/diag.h:
agent/keys.h:
agent/policy.h:
