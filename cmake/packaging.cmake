# Install layout and the Debian package (issue 7). Included from the top CMakeLists.txt after
# GNUInstallDirs; the deskd binary's own install rule is in daemon/CMakeLists.txt.
#
#   <prefix>/bin/deskd                          (daemon/CMakeLists.txt)
#   /etc/deskd/deskd.toml                       conffile; <prefix>/etc/... unless prefix is /usr
#   <prefix>/share/deskd/web/                   the built dashboard (web/dist), if built
#   <prefix>/lib/systemd/system/deskd.service
#   <prefix>/lib/sysusers.d/deskd.conf          user deskd in group gpio
#   <prefix>/lib/tmpfiles.d/deskd.conf          /var/lib/deskd, config file permissions
#   <prefix>/lib/udev/rules.d/60-deskd-gpio.rules
#   <prefix>/share/doc/deskd/                   guides and example configs
#
# Systemd and udev look in /usr/lib as well as /lib, so the package's /usr prefix serves both.

set(DESKD_SYSTEMD_DIR ${PROJECT_SOURCE_DIR}/systemd)
set(DESKD_CONFIG_DIR ${PROJECT_SOURCE_DIR}/config)
set(DESKD_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/deskd)

# The config file goes to /etc when installing under /usr (as GNUInstallDirs and autoconf do)
# and to <prefix>/etc otherwise. Decided at install time, so that `cmake --install --prefix X`,
# DESTDIR installs and cpack (which installs under a staging .../usr) all place it right.
install(CODE "set(deskd_config_source \"${DESKD_CONFIG_DIR}/deskd.toml\")")
install(CODE [[
  if(CMAKE_INSTALL_PREFIX MATCHES "(^|/)usr/?$")
    get_filename_component(deskd_etc "${CMAKE_INSTALL_PREFIX}/../etc" ABSOLUTE)
  else()
    set(deskd_etc "${CMAKE_INSTALL_PREFIX}/etc")
  endif()
  file(INSTALL DESTINATION "${deskd_etc}/deskd" TYPE FILE
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
       FILES "${deskd_config_source}")
]])

install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/dist/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/deskd/web
        OPTIONAL
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                              WORLD_READ WORLD_EXECUTE)

install(FILES ${DESKD_SYSTEMD_DIR}/deskd.service DESTINATION lib/systemd/system)
install(FILES ${DESKD_SYSTEMD_DIR}/deskd.sysusers DESTINATION lib/sysusers.d RENAME deskd.conf)
install(FILES ${DESKD_SYSTEMD_DIR}/deskd.tmpfiles DESTINATION lib/tmpfiles.d RENAME deskd.conf)
install(FILES ${DESKD_SYSTEMD_DIR}/60-deskd-gpio.rules DESTINATION lib/udev/rules.d)

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${DESKD_DOC_DIR} OPTIONAL)
install(FILES ${DESKD_SYSTEMD_DIR}/README.md DESTINATION ${DESKD_DOC_DIR} RENAME install.md)
install(FILES ${DESKD_CONFIG_DIR}/README.md DESTINATION ${DESKD_DOC_DIR} RENAME setup.md)
install(DIRECTORY ${DESKD_CONFIG_DIR}/examples ${DESKD_CONFIG_DIR}/mosquitto
        DESTINATION ${DESKD_DOC_DIR}
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(PROGRAMS ${DESKD_CONFIG_DIR}/activity/deskd-activity.sh DESTINATION ${DESKD_DOC_DIR}/activity)

# ---- Debian package: cpack -G DEB  ->  deskd_<version>_<arch>.deb ----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME deskd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR deskd)
set(CPACK_PACKAGE_CONTACT "deskd maintainers <deskd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "standing desk daemon: GPIO desk control, sit/stand schedule, MQTT and web dashboard")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "deskd drives a motorised standing desk from a Raspberry Pi's GPIO, alternates sitting and\n\
standing on a schedule, and publishes the desk to Home Assistant (MQTT discovery) and to its\n\
own web dashboard.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
if(DESKD_DEB_ARCH)  # a cross build (cmake/toolchains/): the target's architecture, not the host's
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${DESKD_DEB_ARCH})
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # needs dpkg-shlibdeps (dpkg-dev)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "mosquitto")
set(CPACK_STRIP_FILES ON)

set(deskd_debian_dir ${CMAKE_CURRENT_BINARY_DIR}/debian)
file(WRITE ${deskd_debian_dir}/conffiles "/etc/deskd/deskd.toml\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${deskd_debian_dir}/conffiles
    ${DESKD_SYSTEMD_DIR}/debian/postinst
    ${DESKD_SYSTEMD_DIR}/debian/prerm
    ${DESKD_SYSTEMD_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
