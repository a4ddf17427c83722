# docpipe_add_plugin(<name> SOURCES ... [LIBS ...])
# Builds a dlopen-able module <name>.so into the build tree's plugin directory
# and installs it under ${libdir}/docpipe/plugins. Only the entry symbol is
# exported (-fvisibility=hidden).
function(docpipe_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY "${DOCPIPE_BUILD_PLUGIN_DIR}")
  target_link_libraries(${name} PRIVATE docpipe ${P_LIBS})
  install(TARGETS ${name} LIBRARY DESTINATION "${DOCPIPE_PLUGIN_SUBDIR}")
endfunction()
