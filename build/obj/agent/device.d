build/obj/agent/device.o: agent/device.c agent/device.h
agent/device.h:
