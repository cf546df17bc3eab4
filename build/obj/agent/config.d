build/obj/agent/config.o: agent/config.c agent/config.h agent/diag.h \
 agent/keys.h
agent/config.h:
agent/diag.h:
agent/keys.h:
