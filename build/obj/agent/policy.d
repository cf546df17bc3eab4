build/obj/agent/policy.o: agent/policy.c agent/policy.h agent/diag.h \
 agent/keys.h agent/checks.h
agent/policy.h:
agent/diag.h:
agent/keys.h:
agent/checks.h:
