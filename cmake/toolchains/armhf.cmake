# 32-bit Debian armhf (ARMv7 with VFPv3: Pi 2 and later on 32-bit Raspberry Pi OS).
# Usage: scripts/cross.sh armhf
set(DESKD_CROSS_TRIPLE arm-linux-gnueabihf)
set(DESKD_CROSS_DEB_ARCH armhf)
set(DESKD_CROSS_QEMU qemu-arm-static qemu-arm)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
