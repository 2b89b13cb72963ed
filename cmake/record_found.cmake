# Records what this configure run found, for the deps guard (tests/packaging/deps_guard_test.sh):
# every package config file, library and program in the cache, and the given pkg-config modules'
# .pc files, one path per line in <build>/deps-found-<scope>.txt. The guard asks dpkg which
# package owns each path and checks that scripts/deps.sh installs it.
#
#   deskd_record_found(<scope> [PKGCONFIG module...])   scope: build (daemon) or test (tests)
function(deskd_record_found scope)
  cmake_parse_arguments(arg "" "" "PKGCONFIG" ${ARGN})
  set(paths "")
  # Only packages found by this configure run so far: on a re-configure the cache also holds
  # what later directories (the tests) found last time.
  get_property(found GLOBAL PROPERTY PACKAGES_FOUND)
  get_cmake_property(vars CACHE_VARIABLES)
  foreach(var IN LISTS vars)
    get_property(type CACHE ${var} PROPERTY TYPE)
    set(value "${${var}}")
    string(REGEX REPLACE "_DIR$" "" package "${var}")
    if(type STREQUAL "PATH" AND var MATCHES "_DIR$" AND IS_DIRECTORY "${value}"
       AND package IN_LIST found)
      file(GLOB configs "${value}/*Config.cmake" "${value}/*-config.cmake")
      list(APPEND paths ${configs})
    elseif(type STREQUAL "FILEPATH" AND var MATCHES "(_LIBRARY|_LIBRARY_RELEASE|_EXECUTABLE|_COMPILER|_PROGRAM)$"
           AND EXISTS "${value}" AND NOT IS_DIRECTORY "${value}")
      list(APPEND paths "${value}")
    endif()
  endforeach()
  foreach(module IN LISTS arg_PKGCONFIG)
    execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE} --path ${module}
                    OUTPUT_VARIABLE pc OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(rc EQUAL 0 AND pc)
      list(APPEND paths "${pc}")
    else()
      list(APPEND paths "missing-pkg-config-module:${module}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES paths)
  list(SORT paths)
  list(JOIN paths "\n" text)
  file(WRITE ${PROJECT_BINARY_DIR}/deps-found-${scope}.txt "${text}\n")
endfunction()
