build/obj/platform/linux/sysctl.o: platform/linux/sysctl.c \
 platform/linux/../probe.h platform/linux/../rootfs.h
platform/linux/../probe.h:
platform/linux/../rootfs.h:
