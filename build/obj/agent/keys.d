build/obj/agent/keys.o: agent/keys.c agent/keys.h
agent/keys.h:
