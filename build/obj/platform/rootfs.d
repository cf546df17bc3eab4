build/obj/platform/rootfs.o: platform/rootfs.c platform/rootfs.h
platform/rootfs.h:
