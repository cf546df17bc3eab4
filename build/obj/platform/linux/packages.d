build/obj/platform/linux/packages.o: platform/linux/packages.c \
 platform/linux/../deb822.h platform/linux/../probe.h \
 platform/linux/../rootfs.h platform/linux/../rpmheader.h
platform/linux/../deb822.h:
platform/linux/../probe.h:
platform/linux/../rootfs.h:
platform/linux/../rpmheader.h:
