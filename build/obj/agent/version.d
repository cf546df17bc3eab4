build/obj/agent/version.o: agent/version.c agent/version.h
agent/version.h:
