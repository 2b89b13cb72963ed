# The clang sanitizer tree's tests, run from the normal tree (included by tests/CMakeLists.txt).
# sanitize_build builds build-sanitize/ once (fixture sanitize_tree); then sanitize_unit and
# sanitize_integration run the unit and integration tests there under ASan + UBSan, and one
# fuzz_<name> test per tests/fuzz/<name>_fuzz.cpp runs that fuzzer for 20 s on its corpus.
# The build and the sanitized tests run alone (RUN_SERIAL): the build takes both cores and the
# sanitized daemon is several times slower, so timing tests beside them would flake. The fuzz
# runs take one core each and may share the machine with other tests.
set(sanitize_sh ${PROJECT_SOURCE_DIR}/scripts/sanitize.sh)
set(DESKD_SANITIZE_DIR ${PROJECT_SOURCE_DIR}/build-sanitize CACHE PATH
    "The clang sanitizer tree that scripts/sanitize.sh builds")
set(sanitize_env "DESKD_SANITIZE_DIR=${DESKD_SANITIZE_DIR}")

add_test(NAME sanitize_build COMMAND bash ${sanitize_sh} build)
set_tests_properties(sanitize_build PROPERTIES LABELS "sanitize;fuzz" FIXTURES_SETUP sanitize_tree
                     RUN_SERIAL TRUE TIMEOUT 2400 ENVIRONMENT "${sanitize_env}")
add_test(NAME sanitize_unit COMMAND bash ${sanitize_sh} unit)
set_tests_properties(sanitize_unit PROPERTIES LABELS sanitize FIXTURES_REQUIRED sanitize_tree
                     RUN_SERIAL TRUE TIMEOUT 1200
                     ENVIRONMENT "${sanitize_env};DESKD_CTEST_JOBS=2")
add_test(NAME sanitize_integration COMMAND bash ${sanitize_sh} integration)
set_tests_properties(sanitize_integration PROPERTIES LABELS sanitize
                     FIXTURES_REQUIRED sanitize_tree RUN_SERIAL TRUE TIMEOUT 1800
                     ENVIRONMENT "${sanitize_env}")

file(GLOB fuzz_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/*_fuzz.cpp)
foreach(src ${fuzz_srcs})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "_fuzz$" "" name ${name})
  add_test(NAME fuzz_${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run.sh ${name} 20)
  set_tests_properties(fuzz_${name} PROPERTIES LABELS fuzz FIXTURES_REQUIRED sanitize_tree
                       TIMEOUT 120 ENVIRONMENT "${sanitize_env}")
endforeach()
