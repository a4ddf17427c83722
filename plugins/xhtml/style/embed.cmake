# cmake -DIN=docpipe.css -DOUT=file.c -DSYMBOL=name -P embed.cmake
# Writes two byte arrays from the one stylesheet, each with its _len:
#   SYMBOL        the whole sheet (standalone HTML)
#   SYMBOL_epub   the sheet without every block from a line holding
#                 "BEGIN page" to the line holding "END page" (what a reading
#                 system owns: page width, fonts, colours)
# Both are NUL-terminated (the terminator is not counted in _len).
cmake_minimum_required(VERSION 3.16)
file(READ "${IN}" _css)

set(_epub "${_css}")
string(FIND "${_epub}" "/* BEGIN page" _first)
if(_first EQUAL -1)
  message(FATAL_ERROR "${IN}: no 'BEGIN page' block: the EPUB sheet would set the page, fonts and colours")
endif()
while(TRUE)
  string(FIND "${_epub}" "/* BEGIN page" _b)
  if(_b EQUAL -1)
    break()
  endif()
  string(FIND "${_epub}" "/* END page */" _e)
  if(_e LESS _b)
    message(FATAL_ERROR "${IN}: 'BEGIN page' without a following 'END page */'")
  endif()
  string(LENGTH "/* END page */\n" _el)
  math(EXPR _after "${_e} + ${_el}")
  string(SUBSTRING "${_epub}" 0 ${_b} _head)
  string(SUBSTRING "${_epub}" ${_after} -1 _tail)
  set(_epub "${_head}${_tail}")
endwhile()

function(_bytes text out_bytes out_len)
  file(WRITE "${OUT}.tmp" "${text}")
  file(READ "${OUT}.tmp" _hex HEX)
  file(REMOVE "${OUT}.tmp")
  string(LENGTH "${_hex}" _n)
  math(EXPR _len "${_n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _b "${_hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" _b "${_b}")
  set(${out_bytes} "${_b}" PARENT_SCOPE)
  set(${out_len} "${_len}" PARENT_SCOPE)
endfunction()

_bytes("${_css}" _all _all_len)
_bytes("${_epub}" _ep _ep_len)
file(WRITE "${OUT}" "/* generated from ${IN} by embed.cmake: do not edit */\n#include <stddef.h>\n"
  "extern const unsigned char ${SYMBOL}[];\nextern const size_t ${SYMBOL}_len;\n"
  "extern const unsigned char ${SYMBOL}_epub[];\nextern const size_t ${SYMBOL}_epub_len;\n"
  "const unsigned char ${SYMBOL}[] = {\n${_all}0x00};\nconst size_t ${SYMBOL}_len = ${_all_len};\n"
  "const unsigned char ${SYMBOL}_epub[] = {\n${_ep}0x00};\nconst size_t ${SYMBOL}_epub_len = ${_ep_len};\n")
