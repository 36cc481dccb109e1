# Shared libraries, install rules, the CMake package and the pkg-config files. The static
# targets of CMakeLists.txt serve the in-tree program and tests; the installable libraries
# below are built from their object files (nothing compiles twice) with llhttp folded into
# the core, so that neither the installed archives nor the package require llhttp.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

option(RESPLINT_INSTALL "Build the installable libraries and install rules" ON)
if(NOT RESPLINT_INSTALL)
  return()
endif()
if(NOT TARGET resplint_llhttp)
  message(WARNING "install: llhttp is not compiled in (an installed llhttp was found); "
                  "the installable libraries need llhttp's sources (node-llhttp): skipped")
  return()
endif()

# While the major version is 0 every minor release may break the ABI, so the SONAME
# carries the minor too: libresplint.so.0.2.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(RESPLINT_SOVERSION "0.${PROJECT_VERSION_MINOR}")
  set(RESPLINT_COMPAT SameMinorVersion)
else()
  set(RESPLINT_SOVERSION "${PROJECT_VERSION_MAJOR}")
  set(RESPLINT_COMPAT SameMajorVersion)
endif()

set(RESPLINT_PKG_DIR ${CMAKE_CURRENT_BINARY_DIR}/lib)
set(RESPLINT_EXPORT_MAP ${CMAKE_CURRENT_SOURCE_DIR}/cmake/exports.map)
set(RESPLINT_LLHTTP_OBJECTS $<TARGET_OBJECTS:resplint_llhttp>)

# Visibility is hidden by default and the public API is RESPLINT_API; the version script is
# the second lock: llhttp's objects (default visibility) are folded in and stay local.
set(_shared_link_options -Wl,--version-script=${RESPLINT_EXPORT_MAP})
if(NOT RESPLINT_SANITIZE)
  list(APPEND _shared_link_options -Wl,--no-undefined)
endif()

function(resplint_pkg_library target kind output export_name)
  add_library(${target} ${kind} ${ARGN})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${output} EXPORT_NAME ${export_name} LINKER_LANGUAGE C
    ARCHIVE_OUTPUT_DIRECTORY ${RESPLINT_PKG_DIR} LIBRARY_OUTPUT_DIRECTORY ${RESPLINT_PKG_DIR})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/lib/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  if(kind STREQUAL "SHARED")
    set_target_properties(${target} PROPERTIES
      VERSION ${PROJECT_VERSION} SOVERSION ${RESPLINT_SOVERSION}
      LINK_DEPENDS ${RESPLINT_EXPORT_MAP})
    target_link_options(${target} PRIVATE ${_shared_link_options})
  endif()
endfunction()

# ---- shared: resplint::resplint, resplint::capture, resplint::report ----
# The text toolbox (lib/core/text.h, target resplint_text) is internal: each shared library
# holds its own hidden copy; the static archives find it in the core's.
# raw.c of the capture library parses request streams with llhttp itself, so the capture
# library carries its own (hidden) copy rather than exporting llhttp from the core.
resplint_pkg_library(resplint_shared SHARED resplint resplint
  $<TARGET_OBJECTS:resplint> $<TARGET_OBJECTS:resplint_text> ${RESPLINT_LLHTTP_OBJECTS})
# The body pipeline (lib/body) is folded into the capture library, whose readers attach it.
resplint_pkg_library(resplint_capture_shared SHARED resplint-capture capture
  $<TARGET_OBJECTS:resplint-capture> $<TARGET_OBJECTS:resplint-body> $<TARGET_OBJECTS:resplint_text>
  ${RESPLINT_LLHTTP_OBJECTS})
target_link_libraries(resplint_capture_shared PUBLIC resplint_shared PRIVATE ${CMAKE_DL_LIBS})
resplint_pkg_library(resplint_report_shared SHARED resplint-report report
  $<TARGET_OBJECTS:resplint-report> $<TARGET_OBJECTS:resplint_text>)
target_link_libraries(resplint_report_shared PUBLIC resplint_capture_shared resplint_shared)

# ---- static: resplint::resplint_static, resplint::capture_static, resplint::report_static ----
# The core archive holds llhttp; the capture archive finds llhttp there (link order: report,
# capture, core). No system library of capture is linked: zlib, YAJL, libpcap, libcrypto,
# libyaml, nghttp2, brotli and zstd are loaded when an input needs them (lib/core/lazylib.h),
# so the package depends on none of them (only their headers are used, at build time).
resplint_pkg_library(resplint_static STATIC resplint resplint_static
  $<TARGET_OBJECTS:resplint> $<TARGET_OBJECTS:resplint_text> ${RESPLINT_LLHTTP_OBJECTS})
resplint_pkg_library(resplint_capture_static STATIC resplint-capture capture_static
  $<TARGET_OBJECTS:resplint-capture> $<TARGET_OBJECTS:resplint-body>)
target_link_libraries(resplint_capture_static PUBLIC resplint_static ${CMAKE_DL_LIBS})
resplint_pkg_library(resplint_report_static STATIC resplint-report report_static
  $<TARGET_OBJECTS:resplint-report>)
target_link_libraries(resplint_report_static PUBLIC resplint_capture_static resplint_static)

set(RESPLINT_PKG_TARGETS resplint_shared resplint_capture_shared resplint_report_shared
  resplint_static resplint_capture_static resplint_report_static)
add_custom_target(resplint-packages ALL DEPENDS ${RESPLINT_PKG_TARGETS})

# ---- install ----
install(TARGETS resplint-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(TARGETS ${RESPLINT_PKG_TARGETS} EXPORT resplintTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY lib/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  FILES_MATCHING PATTERN "*.h")
install(DIRECTORY rules/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules COMPONENT runtime
  FILES_MATCHING PATTERN "RL*.md")
# The man page, generated from cli/options.def by the program itself (target resplint-man).
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/resplint.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
  COMPONENT runtime)
file(GLOB RESPLINT_MAN_PAGES CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/man/*.1 ${CMAKE_CURRENT_SOURCE_DIR}/docs/*.1
  ${CMAKE_CURRENT_SOURCE_DIR}/doc/*.1)
if(RESPLINT_MAN_PAGES)
  install(FILES ${RESPLINT_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
endif()

set(RESPLINT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/resplint)
install(EXPORT resplintTargets NAMESPACE resplint:: DESTINATION ${RESPLINT_CMAKE_DIR}
  COMPONENT development)
configure_package_config_file(cmake/resplintConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/resplintConfig.cmake INSTALL_DESTINATION ${RESPLINT_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/resplintConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${RESPLINT_COMPAT})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/resplintConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/resplintConfigVersion.cmake
  DESTINATION ${RESPLINT_CMAKE_DIR} COMPONENT development)

# pkg-config: relocatable (paths from ${pcfiledir}) when the directories are relative, so
# that `cmake --install --prefix DIR` gives files that are right in DIR.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(RESPLINT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(RESPLINT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(RESPLINT_PC_PREFIX "\${pcfiledir}/${_up}")
  set(RESPLINT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(RESPLINT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(RESPLINT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
foreach(pc resplint resplint-capture resplint-report)
  configure_file(cmake/${pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
endforeach()

# The nginx dynamic module (integrations/nginx), built against Debian's nginx-dev with the
# static core of build/lib: `cmake --build build --target nginx-module`.
add_custom_target(nginx-module
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/integrations/nginx/build.sh
          ${CMAKE_CURRENT_BINARY_DIR}/nginx-module ${CMAKE_CURRENT_SOURCE_DIR}/lib/include
          $<TARGET_FILE:resplint_static>
  DEPENDS resplint_static
  COMMENT "Building ngx_http_resplint_module.so against nginx-dev"
  VERBATIM)
