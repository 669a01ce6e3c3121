# Helpers shared by every CMakeLists.txt in the tree.

# Our own code builds with warnings as errors; generated protobuf code does not use this.
# GCC 12 at -O2 reports out-of-bounds copies inside libstdc++'s own std::string code that cannot
# happen (GCC bugs 105329, 105651: the bounds come from paths the optimiser has not pruned yet);
# which units trip them depends on what was inlined where, so the precompiled header moved them
# onto code that was clean before. They are left on as warnings, not errors.
function(dps_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wno-unused-parameter
    -Wno-missing-field-initializers  # designated initializers leave defaults out on purpose
    -Wno-error=stringop-overflow -Wno-error=array-bounds -Wno-error=restrict)
endfunction()

# Precompiled headers. Nearly every translation unit of ours includes a generated API header, and
# events.pb.h alone pulls in every service's messages (about 200,000 lines); with gRPC's and
# libpqxx's headers, parsing them was most of each unit's compile time (referral's award_pgtest.cc:
# 16.4 s, of which 9.8 s was parsing headers; 7.7 s with these headers precompiled). So they are
# compiled once, by the two anchor targets below, and reused by every target that does not say
# NO_PCH. Targets that include none of these headers (the domain layers, which are plain C++) say
# NO_PCH: loading the precompiled file (over 500 MB) costs them more than it saves.
# GCC uses a precompiled header only with the flags and macros it was made with, so those are the
# same for every target (see _FILE_OFFSET_BITS in CMakeLists.txt); CMake adds -Winvalid-pch, which
# -Werror turns into a failed build rather than a silently slower one.
option(DPS_PRECOMPILED_HEADERS "Compile the common third-party and generated API headers once" ON)

function(dps_precompiled_header_anchors)
  if(NOT DPS_PRECOMPILED_HEADERS)
    return()
  endif()
  file(GLOB_RECURSE api_protos RELATIVE ${PROJECT_SOURCE_DIR}/proto CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/proto/dps/*.proto)
  list(SORT api_protos)
  set(headers <string> <vector> <map> <memory> <optional> <functional> <chrono>
    <absl/status/statusor.h> <absl/strings/str_cat.h> <absl/time/time.h>
    <google/protobuf/util/json_util.h> <grpcpp/grpcpp.h> <pqxx/pqxx>)
  foreach(proto ${api_protos})
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    list(APPEND headers <${stem}.pb.h> <${stem}.grpc.pb.h>)
  endforeach()
  set(anchor_source ${PROJECT_BINARY_DIR}/dps_pch_anchor.cc)
  file(WRITE ${anchor_source} "// Compiles nothing: its target only makes the precompiled header.\n")
  foreach(anchor dps_pch dps_test_pch)
    add_library(${anchor} STATIC ${anchor_source})
    target_include_directories(${anchor} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
    target_link_libraries(${anchor} PRIVATE dps_proto gRPC::grpc++ protobuf::libprotobuf
      PkgConfig::PQXX absl::statusor absl::strings absl::time)
    dps_warnings(${anchor})
  endforeach()
  target_precompile_headers(dps_pch PRIVATE ${headers})
  target_link_libraries(dps_test_pch PRIVATE Catch2::Catch2)
  target_precompile_headers(dps_test_pch PRIVATE ${headers} <catch2/catch.hpp>)
endfunction()

# dps_use_precompiled_headers(TARGET ANCHOR): TARGET reuses ANCHOR's precompiled header.
function(dps_use_precompiled_headers target anchor)
  if(DPS_PRECOMPILED_HEADERS)
    target_precompile_headers(${target} REUSE_FROM ${anchor})
  endif()
endfunction()

# A library target of ours. Includes are rooted at the repository top:
#   #include "services/scoring/domain/score.h"
function(dps_library name)
  cmake_parse_arguments(ARG "NO_PCH" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  dps_warnings(${name})
  if(NOT ARG_NO_PCH)
    dps_use_precompiled_headers(${name} dps_pch)
  endif()
endfunction()

# An executable of ours.
function(dps_executable name)
  cmake_parse_arguments(ARG "NO_PCH" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  dps_warnings(${name})
  if(NOT ARG_NO_PCH)
    dps_use_precompiled_headers(${name} dps_pch)
  endif()
endfunction()

# A Catch2 test executable, registered with ctest under a label that says what it needs:
#   pure   - nothing outside the process
#   pg     - the PostgreSQL named by DPS_TEST_PG_URL
#   redis  - the Redis named by DPS_TEST_REDIS_URL (and usually PostgreSQL too)
#   system - real service processes started by the test
# Every test executable links dps_catch_main, so Catch2's main is compiled once.
function(dps_test name)
  cmake_parse_arguments(ARG "NO_PCH" "LABEL" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    message(FATAL_ERROR "dps_test(${name}) needs LABEL pure|pg|redis|system")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto_gen)
  target_link_libraries(${name} PRIVATE dps_catch_main ${ARG_DEPS})
  dps_warnings(${name})
  if(NOT ARG_NO_PCH)
    dps_use_precompiled_headers(${name} dps_test_pch)
  endif()
  # --warn NoTests: a registered name that matches no test case fails instead of passing with
  # nothing run (a ';' in a TEST_CASE name, for one, splits it into two such names).
  catch_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} TEST_PREFIX "${name}:"
    EXTRA_ARGS --warn NoTests)
endfunction()

# Compiles the numbered SQL files of DIR (0001_name.sql, 0002_...) into a library NAME that
# defines `std::span<const dps::platform::Migration> NAMESPACE::FUNCTION()`. The caller declares
# that function in a header of its own. Editing a SQL file re-runs CMake, so the binary always
# carries the text the checksums are taken from.
function(dps_migrations name)
  cmake_parse_arguments(ARG "" "DIR;NAMESPACE;FUNCTION" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/*.sql)
  list(SORT sql_files)
  set(entries "")
  foreach(sql_file ${sql_files})
    get_filename_component(file_name ${sql_file} NAME)
    if(NOT file_name MATCHES "^([0-9]+)_.*\\.sql$")
      message(FATAL_ERROR "migration ${sql_file}: name must be NNNN_description.sql")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")
    file(READ ${sql_file} content)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sql_file})
    string(APPEND entries "      {${version}, \"${file_name}\", R\"dps_sql(${content})dps_sql\"},\n")
  endforeach()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.cc)
  file(WRITE ${out}.tmp
    "// Generated by dps_migrations from ${ARG_DIR}. Do not edit.\n"
    "#include <span>\n\n#include \"platform/pg/migrations.h\"\n\n"
    "namespace ${ARG_NAMESPACE} {\n\n"
    "std::span<const dps::platform::Migration> ${ARG_FUNCTION}() {\n"
    "  static const dps::platform::Migration kMigrations[] = {\n${entries}  };\n"
    "  return kMigrations;\n}\n\n}  // namespace ${ARG_NAMESPACE}\n")
  configure_file(${out}.tmp ${out} COPYONLY)
  add_library(${name} STATIC ${out})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC PkgConfig::PQXX absl::status)
endfunction()

# Compiles the text of FILE into a library NAME that defines
# `std::string_view NAMESPACE::FUNCTION()`, for reference data a service needs at run time (so the
# binary never looks for a data folder). The caller declares the function in a header of its own.
function(dps_embed_text name)
  cmake_parse_arguments(ARG "" "FILE;NAMESPACE;FUNCTION" "" ${ARGN})
  file(READ ${ARG_FILE} content)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ARG_FILE})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.cc)
  file(WRITE ${out}.tmp
    "// Generated by dps_embed_text from ${ARG_FILE}. Do not edit.\n"
    "#include <string_view>\n\n"
    "namespace ${ARG_NAMESPACE} {\n\n"
    "std::string_view ${ARG_FUNCTION}() {\n"
    "  static constexpr char kText[] = R\"dps_text(${content})dps_text\";\n"
    "  return {kText, sizeof(kText) - 1};\n}\n\n}  // namespace ${ARG_NAMESPACE}\n")
  configure_file(${out}.tmp ${out} COPYONLY)
  add_library(${name} STATIC ${out})
endfunction()

# dps_check_links(TARGETS target... FORBIDDEN library...): stops the configure step when one of
# TARGETS links one of FORBIDDEN, directly or through any target it links, naming the path. It is
# how the layers are kept apart: a domain that reached libpqxx, or storage that reached gRPC, is a
# failed build rather than a review comment. A target a subset build (DPS_SERVICES) left out is
# skipped.
function(dps_check_links)
  cmake_parse_arguments(ARG "" "" "TARGETS;FORBIDDEN" ${ARGN})
  foreach(start ${ARG_TARGETS})
    if(NOT TARGET ${start})
      continue()
    endif()
    set(queue ${start})
    set(seen "")
    set(path_${start} ${start})
    while(queue)
      list(POP_FRONT queue current)
      if(current IN_LIST seen)
        continue()
      endif()
      list(APPEND seen ${current})
      set(links "")
      get_target_property(imported ${current} IMPORTED)
      get_target_property(type ${current} TYPE)
      if(NOT imported AND NOT type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(direct ${current} LINK_LIBRARIES)
        if(direct)
          list(APPEND links ${direct})
        endif()
      endif()
      get_target_property(interface ${current} INTERFACE_LINK_LIBRARIES)
      if(interface)
        list(APPEND links ${interface})
      endif()
      foreach(link ${links})
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
        if(link IN_LIST ARG_FORBIDDEN)
          string(REPLACE ";" " -> " via "${path_${current}}")
          message(FATAL_ERROR "${start} must not link ${link}; it does: ${via} -> ${link}")
        endif()
        if(TARGET ${link} AND NOT link IN_LIST seen)
          set(path_${link} ${path_${current}} ${link})
          list(APPEND queue ${link})
        endif()
      endforeach()
    endwhile()
  endforeach()
endfunction()
