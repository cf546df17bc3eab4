build/obj/agent/diag.o: agent/diag.c agent/diag.h
agent/diag.h:
