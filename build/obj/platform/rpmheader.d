build/obj/platform/rpmheader.o: platform/rpmheader.c platform/rpmheader.h
platform/rpmheader.h:
