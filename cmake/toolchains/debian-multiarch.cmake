# Cross-compiling for another Debian architecture with Debian multiarch (scripts/cross.sh).
# Included by arm64.cmake / armhf.cmake after they set:
#   DESKD_CROSS_TRIPLE     GNU triple and multiarch directory, e.g. aarch64-linux-gnu
#   DESKD_CROSS_DEB_ARCH   Debian architecture of the package, e.g. arm64
#   DESKD_CROSS_QEMU       qemu-user programs that run the target's binaries, best first
#   CMAKE_SYSTEM_PROCESSOR
#
# Multiarch puts the target's libraries beside the host's, in / itself: headers in /usr/include,
# libraries, CMake package configs and .pc files under /usr/lib/<triple>/. So there is no sysroot;
# CMake's find_* commands search <prefix>/lib/<CMAKE_LIBRARY_ARCHITECTURE>, never the host's
# triple (a host library would not link anyway).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${DESKD_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${DESKD_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${DESKD_CROSS_TRIPLE})

# pkg-config: the host's program reading only the target's .pc files (and the
# architecture-independent ones).
set(PKG_CONFIG_EXECUTABLE /usr/bin/pkg-config CACHE FILEPATH "pkg-config")
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${DESKD_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Tests (and gtest_discover_tests, at build time) run the target's binaries under qemu-user.
# `-L /` names the root holding the target's dynamic loader and libraries: multiarch's, so no
# binfmt_misc registration is needed (it works in a chroot too).
find_program(DESKD_CROSS_QEMU_PROGRAM NAMES ${DESKD_CROSS_QEMU})
if(DESKD_CROSS_QEMU_PROGRAM)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${DESKD_CROSS_QEMU_PROGRAM} -L /)
endif()

# The Debian package (cmake/packaging.cmake) is for the target architecture.
set(DESKD_DEB_ARCH ${DESKD_CROSS_DEB_ARCH})
