# cmake -DIN=file -DOUT=file.c -DSYMBOL=name -P embed.cmake
# Writes `const unsigned char SYMBOL[]` and `const size_t SYMBOL_len`.
file(READ "${IN}" _hex HEX)
string(LENGTH "${_hex}" _n)
math(EXPR _len "${_n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" _bytes "${_bytes}")
file(WRITE "${OUT}" "/* generated from ${IN} by embed.cmake: do not edit */\n#include <stddef.h>\n"
  "extern const unsigned char ${SYMBOL}[];\nextern const size_t ${SYMBOL}_len;\n"
  "const unsigned char ${SYMBOL}[] = {\n${_bytes}0x00};\nconst size_t ${SYMBOL}_len = ${_len};\n")
