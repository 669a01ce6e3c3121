# Helpers shared by every CMakeLists.txt in the tree.

# Our own code builds with warnings as errors; generated protobuf code does not use this.
function(dps_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter)
endfunction()

# A library target of ours. Includes are rooted at the repository top:
#   #include "services/scoring/domain/score.h"
function(dps_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  dps_warnings(${name})
endfunction()

# An executable of ours.
function(dps_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  dps_warnings(${name})
endfunction()

# A Catch2 test executable, registered with ctest under a label that says what it needs:
#   pure   - nothing outside the process
#   pg     - the PostgreSQL named by DPS_TEST_PG_URL
#   redis  - the Redis named by DPS_TEST_REDIS_URL (and usually PostgreSQL too)
#   system - real service processes started by the test
# Every test executable links dps_catch_main, so Catch2's main is compiled once.
function(dps_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    message(FATAL_ERROR "dps_test(${name}) needs LABEL pure|pg|redis|system")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
  target_link_libraries(${name} PRIVATE dps_catch_main ${ARG_DEPS})
  dps_warnings(${name})
  catch_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} TEST_PREFIX "${name}:")
endfunction()
