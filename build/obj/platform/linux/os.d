build/obj/platform/linux/os.o: platform/linux/os.c \
 platform/linux/../probe.h platform/linux/../rootfs.h
platform/linux/../probe.h:
platform/linux/../rootfs.h:
