build/obj/platform/files.o: platform/files.c platform/probe.h \
 platform/rootfs.h
platform/probe.h:
platform/rootfs.h:
