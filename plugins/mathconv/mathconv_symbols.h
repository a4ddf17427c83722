/* The TeX <-> MathML vocabulary shared by both converters. */
#ifndef DOCPIPE_MATHCONV_SYMBOLS_H
#define DOCPIPE_MATHCONV_SYMBOLS_H

typedef struct mc_symbol {
    const char *tex;     /* command name without the backslash */
    const char *element; /* "mi" or "mo" */
    const char *text;    /* UTF-8 */
} mc_symbol;

typedef enum mc_kind {
    MC_FUNC, MC_SPACE, MC_FRAC, MC_SQRT, MC_TEXT, MC_VARIANT, MC_ACCENT, MC_UNDER, MC_LEFT, MC_BEGIN,
    MC_OPERATORNAME
} mc_kind;

typedef struct mc_command {
    const char *tex;
    mc_kind kind;
    const char *arg; /* function name, space width, mathvariant or accent character */
} mc_command;

const mc_symbol *mc_symbol_by_tex(const char *name);
const mc_symbol *mc_symbol_by_text(const char *text);
const mc_command *mc_command_by_tex(const char *name);
/* The command for a function name (mi "sin"), mathvariant, accent or space width. */
const mc_command *mc_command_by_arg(mc_kind kind, const char *arg);

#endif
