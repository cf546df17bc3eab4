build/obj/platform/deb822.o: platform/deb822.c platform/deb822.h
platform/deb822.h:
