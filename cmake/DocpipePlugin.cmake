# docpipe_add_plugin(<name> SOURCES ... [LIBS ...])
# Builds a dlopen-able module <name>.so and installs it under
# ${libdir}/docpipe/plugins. Only the entry symbol is exported
# (-fvisibility=hidden).
#
# Used in two places: inside the docpipe source tree (the module goes to the
# build tree's plugin directory, where build/bin/docpipe finds it) and out of
# tree through find_package(docpipe) (docpipeConfig.cmake includes this file;
# the module links docpipe::docpipe and is built in the project's own binary
# dir; load it with $DOCPIPE_PLUGIN_PATH or install it).
function(docpipe_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    # installed plugins sit in <libdir>/docpipe/plugins: libdocpipe is two up.
    # So do the build tree's, and the same RUNPATH serves both: CMake's build
    # RUNPATH would end in an empty entry, which means the current directory.
    INSTALL_RPATH "$ORIGIN/../.."
    BUILD_WITH_INSTALL_RPATH ON)
  if(DEFINED DOCPIPE_BUILD_PLUGIN_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${DOCPIPE_BUILD_PLUGIN_DIR}")
  endif()
  if(TARGET docpipe)
    target_link_libraries(${name} PRIVATE docpipe ${P_LIBS})
  else()
    target_link_libraries(${name} PRIVATE docpipe::docpipe ${P_LIBS})
  endif()
  if(NOT DOCPIPE_PLUGIN_SUBDIR)
    set(DOCPIPE_PLUGIN_SUBDIR "lib/docpipe/plugins")
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION "${DOCPIPE_PLUGIN_SUBDIR}")
endfunction()
