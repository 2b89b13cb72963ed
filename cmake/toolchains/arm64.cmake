# 64-bit Raspberry Pi OS / Debian arm64 (Pi 3, 4, 5, Zero 2 W). Usage: scripts/cross.sh arm64
set(DESKD_CROSS_TRIPLE aarch64-linux-gnu)
set(DESKD_CROSS_DEB_ARCH arm64)
set(DESKD_CROSS_QEMU qemu-aarch64-static qemu-aarch64)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
