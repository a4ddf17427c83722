/* dp_yaml_flow_too_deep (dp_pipeline.h): the flow-nesting pre-scan shared by
 * the config parser (config.c) and YAML-reading plugins (Markdown front
 * matter). Format-neutral: YAML is the core's own config language. */
#include <string.h>

#include "docpipe/docpipe.h"

int dp_yaml_flow_too_deep(const char *text, size_t len, int max_depth, int *line, int *col)
{
    size_t i;
    int depth = 0, l = 1, c = 0;
    char quote = 0; /* '"', '\'' inside a quoted scalar; '#' inside a comment */
    if (!text)
        return 0;
    for (i = 0; i < len; i++) {
        char ch = text[i];
        c++;
        if (ch == '\n') {
            l++;
            c = 0;
            if (quote == '#')
                quote = 0;
            continue;
        }
        if (quote) {
            if (quote == '"' && ch == '\\' && i + 1 < len)
                i++, c++;
            else if (ch == quote)
                quote = 0;
            continue;
        }
        if ((ch == '"' || ch == '\'') &&
            (i == 0 || strchr(" \t\n[{,:-", text[i - 1]) != NULL)) /* only where a scalar can start */
            quote = ch;
        else if (ch == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n'))
            quote = '#';
        else if (ch == '[' || ch == '{') {
            if (++depth > max_depth) {
                if (line)
                    *line = l;
                if (col)
                    *col = c;
                return 1;
            }
        } else if ((ch == ']' || ch == '}') && depth > 0)
            depth--;
    }
    return 0;
}
