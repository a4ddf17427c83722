/* Names of the tree's enumerations in JSON (index = the C enum value). */
#include "json_internal.h"

#include <string.h>

const char *const json_list_types[] = {"bullet", "ordered", NULL};
const char *const json_list_delims[] = {"default", "period", "paren", NULL};
const char *const json_list_styles[] = {"default",     "decimal",     "lower-alpha", "upper-alpha",
                                        "lower-roman", "upper-roman", NULL};
const char *const json_tasks[] = {"none", "unchecked", "checked", NULL};
const char *const json_aligns[] = {"default", "left", "center", "right", NULL};
const char *const json_quotes[] = {"double", "single", NULL};
const char *const json_cite_modes[] = {"normal", "author-in-text", "suppress-author", NULL};

int json_enum_index(const char *const *table, const char *name)
{
    for (int i = 0; table[i]; i++)
        if (strcmp(table[i], name) == 0)
            return i;
    return -1;
}
