# Install rules for the development files: docpipe.pc and the CMake package
# (docpipeConfig.cmake, version file, exported targets, DocpipePlugin.cmake).
include(CMakePackageConfigHelpers)

set(DOCPIPE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/docpipe")
set(DOCPIPE_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# pkg-config file: prefix computed relative to its own directory so that
# `cmake --install --prefix X` anywhere gives a working file.
file(RELATIVE_PATH DOCPIPE_PC_TO_PREFIX "/prefix/${DOCPIPE_PKGCONFIG_DIR}" "/prefix")
string(REGEX REPLACE "/$" "" DOCPIPE_PC_TO_PREFIX "${DOCPIPE_PC_TO_PREFIX}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/docpipe.pc.in ${CMAKE_BINARY_DIR}/docpipe.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/docpipe.pc DESTINATION ${DOCPIPE_PKGCONFIG_DIR})

file(STRINGS ${CMAKE_SOURCE_DIR}/include/docpipe/dp_plugin.h _abi REGEX "^#define DP_ABI_MAJOR ")
string(REGEX REPLACE ".*DP_ABI_MAJOR ([0-9]+).*" "\\1" DOCPIPE_ABI_MAJOR "${_abi}")

configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/docpipeConfig.cmake.in
  ${CMAKE_BINARY_DIR}/docpipeConfig.cmake
  INSTALL_DESTINATION ${DOCPIPE_CMAKE_DIR}
  PATH_VARS DOCPIPE_PLUGIN_SUBDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/docpipeConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(EXPORT docpipeTargets NAMESPACE docpipe:: DESTINATION ${DOCPIPE_CMAKE_DIR})
install(FILES ${CMAKE_BINARY_DIR}/docpipeConfig.cmake ${CMAKE_BINARY_DIR}/docpipeConfigVersion.cmake
              ${CMAKE_SOURCE_DIR}/cmake/DocpipePlugin.cmake
        DESTINATION ${DOCPIPE_CMAKE_DIR})
