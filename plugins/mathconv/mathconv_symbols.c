/* The vocabulary of the converters: symbols (one command, one character)
 * and commands with arguments. The first entry for a character is the one
 * MathML -> TeX writes. */
#include <string.h>

#include "mathconv_symbols.h"

static const mc_symbol SYMBOLS[] = {
    {"alpha", "mi", "\xCE\xB1"}, {"beta", "mi", "\xCE\xB2"}, {"gamma", "mi", "\xCE\xB3"},
    {"delta", "mi", "\xCE\xB4"}, {"epsilon", "mi", "\xCF\xB5"}, {"varepsilon", "mi", "\xCE\xB5"},
    {"zeta", "mi", "\xCE\xB6"}, {"eta", "mi", "\xCE\xB7"}, {"theta", "mi", "\xCE\xB8"},
    {"vartheta", "mi", "\xCF\x91"}, {"iota", "mi", "\xCE\xB9"}, {"kappa", "mi", "\xCE\xBA"},
    {"lambda", "mi", "\xCE\xBB"}, {"mu", "mi", "\xCE\xBC"}, {"nu", "mi", "\xCE\xBD"},
    {"xi", "mi", "\xCE\xBE"}, {"pi", "mi", "\xCF\x80"}, {"varpi", "mi", "\xCF\x96"},
    {"rho", "mi", "\xCF\x81"}, {"varrho", "mi", "\xCF\xB1"}, {"sigma", "mi", "\xCF\x83"},
    {"varsigma", "mi", "\xCF\x82"}, {"tau", "mi", "\xCF\x84"}, {"upsilon", "mi", "\xCF\x85"},
    {"phi", "mi", "\xCF\x95"}, {"varphi", "mi", "\xCF\x86"}, {"chi", "mi", "\xCF\x87"},
    {"psi", "mi", "\xCF\x88"}, {"omega", "mi", "\xCF\x89"},
    {"Gamma", "mi", "\xCE\x93"}, {"Delta", "mi", "\xCE\x94"}, {"Theta", "mi", "\xCE\x98"},
    {"Lambda", "mi", "\xCE\x9B"}, {"Xi", "mi", "\xCE\x9E"}, {"Pi", "mi", "\xCE\xA0"},
    {"Sigma", "mi", "\xCE\xA3"}, {"Upsilon", "mi", "\xCE\xA5"}, {"Phi", "mi", "\xCE\xA6"},
    {"Psi", "mi", "\xCE\xA8"}, {"Omega", "mi", "\xCE\xA9"},
    {"infty", "mi", "\xE2\x88\x9E"}, {"partial", "mi", "\xE2\x88\x82"}, {"nabla", "mi", "\xE2\x88\x87"},
    {"hbar", "mi", "\xE2\x84\x8F"}, {"ell", "mi", "\xE2\x84\x93"}, {"emptyset", "mi", "\xE2\x88\x85"},
    {"aleph", "mi", "\xE2\x84\xB5"},
    {"le", "mo", "\xE2\x89\xA4"}, {"leq", "mo", "\xE2\x89\xA4"}, {"ge", "mo", "\xE2\x89\xA5"},
    {"geq", "mo", "\xE2\x89\xA5"}, {"ne", "mo", "\xE2\x89\xA0"}, {"neq", "mo", "\xE2\x89\xA0"},
    {"times", "mo", "\xC3\x97"}, {"cdot", "mo", "\xE2\x8B\x85"}, {"div", "mo", "\xC3\xB7"},
    {"pm", "mo", "\xC2\xB1"}, {"mp", "mo", "\xE2\x88\x93"}, {"ast", "mo", "\xE2\x88\x97"},
    {"star", "mo", "\xE2\x8B\x86"}, {"circ", "mo", "\xE2\x88\x98"}, {"bullet", "mo", "\xE2\x88\x99"},
    {"to", "mo", "\xE2\x86\x92"}, {"rightarrow", "mo", "\xE2\x86\x92"}, {"leftarrow", "mo", "\xE2\x86\x90"},
    {"gets", "mo", "\xE2\x86\x90"}, {"leftrightarrow", "mo", "\xE2\x86\x94"},
    {"Rightarrow", "mo", "\xE2\x87\x92"}, {"Leftarrow", "mo", "\xE2\x87\x90"},
    {"Leftrightarrow", "mo", "\xE2\x87\x94"}, {"iff", "mo", "\xE2\x9F\xBA"}, {"implies", "mo", "\xE2\x9F\xB9"},
    {"mapsto", "mo", "\xE2\x86\xA6"}, {"uparrow", "mo", "\xE2\x86\x91"}, {"downarrow", "mo", "\xE2\x86\x93"},
    {"in", "mo", "\xE2\x88\x88"}, {"notin", "mo", "\xE2\x88\x89"}, {"ni", "mo", "\xE2\x88\x8B"},
    {"subset", "mo", "\xE2\x8A\x82"}, {"supset", "mo", "\xE2\x8A\x83"}, {"subseteq", "mo", "\xE2\x8A\x86"},
    {"supseteq", "mo", "\xE2\x8A\x87"}, {"cup", "mo", "\xE2\x88\xAA"}, {"cap", "mo", "\xE2\x88\xA9"},
    {"setminus", "mo", "\xE2\x88\x96"}, {"approx", "mo", "\xE2\x89\x88"}, {"equiv", "mo", "\xE2\x89\xA1"},
    {"sim", "mo", "\xE2\x88\xBC"}, {"simeq", "mo", "\xE2\x89\x83"}, {"cong", "mo", "\xE2\x89\x85"},
    {"propto", "mo", "\xE2\x88\x9D"}, {"ll", "mo", "\xE2\x89\xAA"}, {"gg", "mo", "\xE2\x89\xAB"},
    {"perp", "mo", "\xE2\x8A\xA5"}, {"parallel", "mo", "\xE2\x88\xA5"}, {"mid", "mo", "\xE2\x88\xA3"},
    {"forall", "mo", "\xE2\x88\x80"}, {"exists", "mo", "\xE2\x88\x83"}, {"neg", "mo", "\xC2\xAC"},
    {"lnot", "mo", "\xC2\xAC"}, {"wedge", "mo", "\xE2\x88\xA7"}, {"land", "mo", "\xE2\x88\xA7"},
    {"vee", "mo", "\xE2\x88\xA8"}, {"lor", "mo", "\xE2\x88\xA8"}, {"oplus", "mo", "\xE2\x8A\x95"},
    {"otimes", "mo", "\xE2\x8A\x97"}, {"ldots", "mo", "\xE2\x80\xA6"}, {"dots", "mo", "\xE2\x80\xA6"},
    {"cdots", "mo", "\xE2\x8B\xAF"}, {"vdots", "mo", "\xE2\x8B\xAE"}, {"ddots", "mo", "\xE2\x8B\xB1"},
    {"sum", "mo", "\xE2\x88\x91"}, {"prod", "mo", "\xE2\x88\x8F"}, {"coprod", "mo", "\xE2\x88\x90"},
    {"int", "mo", "\xE2\x88\xAB"}, {"iint", "mo", "\xE2\x88\xAC"}, {"oint", "mo", "\xE2\x88\xAE"},
    {"bigcup", "mo", "\xE2\x8B\x83"}, {"bigcap", "mo", "\xE2\x8B\x82"},
    {"{", "mo", "{"}, {"}", "mo", "}"},
    {"langle", "mo", "\xE2\x9F\xA8"}, {"rangle", "mo", "\xE2\x9F\xA9"}, {"lbrace", "mo", "{"},
    {"rbrace", "mo", "}"}, {"|", "mo", "\xE2\x80\x96"},
    {"lvert", "mo", "|"}, {"rvert", "mo", "|"}, {"vert", "mo", "|"}, {"lfloor", "mo", "\xE2\x8C\x8A"},
    {"rfloor", "mo", "\xE2\x8C\x8B"}, {"lceil", "mo", "\xE2\x8C\x88"}, {"rceil", "mo", "\xE2\x8C\x89"},
    {"prime", "mo", "\xE2\x80\xB2"}, {"%", "mo", "%"}, {"$", "mo", "$"}, {"#", "mo", "#"},
    {"&", "mo", "&"}, {"_", "mo", "_"},
    {NULL, NULL, NULL}
};

static const mc_command COMMANDS[] = {
    {"sin", MC_FUNC, "sin"}, {"cos", MC_FUNC, "cos"}, {"tan", MC_FUNC, "tan"}, {"cot", MC_FUNC, "cot"},
    {"sec", MC_FUNC, "sec"}, {"csc", MC_FUNC, "csc"}, {"arcsin", MC_FUNC, "arcsin"},
    {"arccos", MC_FUNC, "arccos"}, {"arctan", MC_FUNC, "arctan"}, {"sinh", MC_FUNC, "sinh"},
    {"cosh", MC_FUNC, "cosh"}, {"tanh", MC_FUNC, "tanh"}, {"log", MC_FUNC, "log"}, {"ln", MC_FUNC, "ln"},
    {"lg", MC_FUNC, "lg"}, {"exp", MC_FUNC, "exp"}, {"lim", MC_FUNC, "lim"}, {"max", MC_FUNC, "max"},
    {"min", MC_FUNC, "min"}, {"sup", MC_FUNC, "sup"}, {"inf", MC_FUNC, "inf"}, {"det", MC_FUNC, "det"},
    {"dim", MC_FUNC, "dim"}, {"ker", MC_FUNC, "ker"}, {"deg", MC_FUNC, "deg"}, {"gcd", MC_FUNC, "gcd"},
    {"arg", MC_FUNC, "arg"}, {"Pr", MC_FUNC, "Pr"}, {"mod", MC_FUNC, "mod"},
    {",", MC_SPACE, "0.167em"}, {":", MC_SPACE, "0.222em"}, {">", MC_SPACE, "0.222em"},
    {";", MC_SPACE, "0.278em"}, {"!", MC_SPACE, "-0.167em"}, {" ", MC_SPACE, "0.333em"},
    {"quad", MC_SPACE, "1em"}, {"qquad", MC_SPACE, "2em"},
    {"frac", MC_FRAC, NULL}, {"dfrac", MC_FRAC, NULL}, {"tfrac", MC_FRAC, NULL},
    {"sqrt", MC_SQRT, NULL},
    {"text", MC_TEXT, NULL}, {"textrm", MC_TEXT, NULL}, {"mbox", MC_TEXT, NULL}, {"textit", MC_TEXT, NULL},
    {"mathbb", MC_VARIANT, "double-struck"}, {"mathbf", MC_VARIANT, "bold"},
    {"mathcal", MC_VARIANT, "script"}, {"mathfrak", MC_VARIANT, "fraktur"},
    {"mathsf", MC_VARIANT, "sans-serif"}, {"mathtt", MC_VARIANT, "monospace"},
    {"mathrm", MC_VARIANT, "normal"}, {"mathit", MC_VARIANT, "italic"},
    {"boldsymbol", MC_VARIANT, "bold-italic"},
    /* accents: the spacing characters are written (a combining character
     * alone in <mo> starts a text run with a composing character, which the
     * Nu checker warns about); texmath's combining forms are read too */
    {"hat", MC_ACCENT, "^"}, {"bar", MC_ACCENT, "\xC2\xAF"}, {"vec", MC_ACCENT, "\xE2\x86\x92"},
    {"tilde", MC_ACCENT, "~"}, {"dot", MC_ACCENT, "\xCB\x99"}, {"ddot", MC_ACCENT, "\xC2\xA8"},
    {"check", MC_ACCENT, "\xCB\x87"}, {"breve", MC_ACCENT, "\xCB\x98"}, {"acute", MC_ACCENT, "\xC2\xB4"},
    {"grave", MC_ACCENT, "`"},
    {"hat", MC_ACCENT, "\xCC\x82"}, {"widehat", MC_ACCENT, "\xCC\x82"}, {"bar", MC_ACCENT, "\xE2\x80\xBE"},
    {"overline", MC_ACCENT, "\xE2\x80\xBE"}, {"vec", MC_ACCENT, "\xE2\x83\x97"},
    {"tilde", MC_ACCENT, "\xCC\x83"}, {"widetilde", MC_ACCENT, "\xCC\x83"}, {"dot", MC_ACCENT, "\xCC\x87"},
    {"ddot", MC_ACCENT, "\xCC\x88"}, {"check", MC_ACCENT, "\xCC\x8C"}, {"breve", MC_ACCENT, "\xCC\x86"},
    {"acute", MC_ACCENT, "\xCC\x81"}, {"grave", MC_ACCENT, "\xCC\x80"},
    {"underline", MC_UNDER, "_"},
    {"left", MC_LEFT, NULL}, {"begin", MC_BEGIN, NULL}, {"operatorname", MC_OPERATORNAME, NULL},
    {NULL, 0, NULL}
};

const mc_symbol *mc_symbol_by_tex(const char *name)
{
    for (const mc_symbol *s = SYMBOLS; s->tex; s++)
        if (strcmp(s->tex, name) == 0)
            return s;
    return NULL;
}

const mc_symbol *mc_symbol_by_text(const char *text)
{
    for (const mc_symbol *s = SYMBOLS; s->tex; s++)
        if (strcmp(s->text, text) == 0)
            return s;
    return NULL;
}

const mc_command *mc_command_by_tex(const char *name)
{
    for (const mc_command *c = COMMANDS; c->tex; c++)
        if (strcmp(c->tex, name) == 0)
            return c;
    return NULL;
}

const mc_command *mc_command_by_arg(mc_kind kind, const char *arg)
{
    for (const mc_command *c = COMMANDS; c->tex; c++)
        if (c->kind == kind && c->arg && strcmp(c->arg, arg) == 0)
            return c;
    return NULL;
}
