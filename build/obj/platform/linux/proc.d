build/obj/platform/linux/proc.o: platform/linux/proc.c \
 platform/linux/../probe.h platform/linux/../rootfs.h
platform/linux/../probe.h:
platform/linux/../rootfs.h:
