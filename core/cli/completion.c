/* docpipe completion bash|zsh|fish: shell completion scripts (installed by
 * cmake --install). The scripts are small and ask docpipe itself for the
 * words that depend on the installed plugins (docpipe completion words
 * KIND), so a new plugin's formats, transforms and option names complete
 * without regenerating anything. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *const subcommands = "run plugins formats help completion";

/* options taking a file name: completed with files */
#define FILE_OPTS "-o|--output|--css|--metadata-file|--epub-cover-image|--epub-metadata|--filter|--plugin-dir|--report"

static const char bash_script[] =
    "# bash completion for docpipe (docpipe completion bash)\n"
    "_docpipe() {\n"
    "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"${COMP_WORDS[0]}\"\n"
    "    local words\n"
    "    case \"$prev\" in\n"
    "        -f|--from|--read) words=$(\"$cmd\" completion words input-formats 2>/dev/null) ;;\n"
    "        -t|--to|--write) words=$(\"$cmd\" completion words output-formats 2>/dev/null) ;;\n"
    "        -T|--transform) words=$(\"$cmd\" completion words transforms 2>/dev/null) ;;\n"
    "        -O|--option) words=$(\"$cmd\" completion words plugin-options 2>/dev/null); compopt -o nospace 2>/dev/null ;;\n"
    "        --limit) words=$(\"$cmd\" completion words limits 2>/dev/null); compopt -o nospace 2>/dev/null ;;\n"
    "        --wrap) words=\"none auto preserve\" ;;\n"
    "        completion) words=\"bash zsh fish\" ;;\n"
    "        " FILE_OPTS ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
    "        *)\n"
    "            if [[ \"$cur\" == -* ]]; then\n"
    "                words=$(\"$cmd\" completion words options 2>/dev/null)\n"
    "            elif [[ $COMP_CWORD -eq 1 ]]; then\n"
    "                COMPREPLY=($(compgen -W \"%s\" -- \"$cur\") $(compgen -f -- \"$cur\")); return\n"
    "            else\n"
    "                COMPREPLY=($(compgen -f -- \"$cur\")); return\n"
    "            fi ;;\n"
    "    esac\n"
    "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
    "}\n"
    "complete -o filenames -F _docpipe docpipe\n";

static const char zsh_script[] =
    "#compdef docpipe\n"
    "# zsh completion for docpipe (docpipe completion zsh)\n"
    "_docpipe() {\n"
    "    local cmd=${words[1]}\n"
    "    case ${words[CURRENT-1]} in\n"
    "        -f|--from|--read) compadd -- ${(f)\"$($cmd completion words input-formats 2>/dev/null)\"}; return ;;\n"
    "        -t|--to|--write) compadd -- ${(f)\"$($cmd completion words output-formats 2>/dev/null)\"}; return ;;\n"
    "        -T|--transform) compadd -- ${(f)\"$($cmd completion words transforms 2>/dev/null)\"}; return ;;\n"
    "        -O|--option) compadd -S '' -- ${(f)\"$($cmd completion words plugin-options 2>/dev/null)\"}; return ;;\n"
    "        --limit) compadd -S '' -- ${(f)\"$($cmd completion words limits 2>/dev/null)\"}; return ;;\n"
    "        --wrap) compadd none auto preserve; return ;;\n"
    "        completion) compadd bash zsh fish; return ;;\n"
    "        " FILE_OPTS ") _files; return ;;\n"
    "    esac\n"
    "    if [[ ${words[CURRENT]} == -* ]]; then\n"
    "        compadd -- ${(f)\"$($cmd completion words options 2>/dev/null)\"}\n"
    "    elif (( CURRENT == 2 )); then\n"
    "        compadd %s; _files\n"
    "    else\n"
    "        _files\n"
    "    fi\n"
    "}\n"
    "compdef _docpipe docpipe\n";

/* fish: one line per long option, from the option table itself */
static void fish_script(void)
{
    const struct option *o;
    printf("# fish completion for docpipe (docpipe completion fish)\n"
           "complete -c docpipe -n '__fish_use_subcommand' -a '%s'\n"
           "complete -c docpipe -n '__fish_seen_subcommand_from completion' -f -a 'bash zsh fish'\n",
           subcommands);
    for (o = cli_convert_longopts; o->name; o++) {
        const char *arg = "";
        if (strcmp(o->name, "from") == 0 || strcmp(o->name, "read") == 0)
            arg = " -x -a '(docpipe completion words input-formats)'";
        else if (strcmp(o->name, "to") == 0 || strcmp(o->name, "write") == 0)
            arg = " -x -a '(docpipe completion words output-formats)'";
        else if (strcmp(o->name, "transform") == 0)
            arg = " -x -a '(docpipe completion words transforms)'";
        else if (strcmp(o->name, "option") == 0)
            arg = " -x -a '(docpipe completion words plugin-options)'";
        else if (strcmp(o->name, "limit") == 0)
            arg = " -x -a '(docpipe completion words limits)'";
        else if (strcmp(o->name, "wrap") == 0)
            arg = " -x -a 'none auto preserve'";
        else if (o->has_arg == required_argument)
            arg = " -r -F";
        /* the short letter on the first long option that has it */
        int first = o->val > 0 && o->val < 128;
        for (const struct option *q = cli_convert_longopts; first && q != o; q++)
            first = q->val != o->val;
        if (first)
            printf("complete -c docpipe -s %c -l %s%s\n", o->val, o->name, arg);
        else
            printf("complete -c docpipe -l %s%s\n", o->name, arg);
    }
}

/* docpipe completion words KIND */
static int words(const char *kind)
{
    dp_registry *reg = NULL;
    dp_error err;
    size_t i, k;
    if (strcmp(kind, "options") == 0) {
        for (const struct option *o = cli_convert_longopts; o->name; o++)
            printf("--%s\n", o->name);
        return 0;
    }
    if (strcmp(kind, "limits") == 0) {
        puts("max-input-bytes=\nmax-depth=\nmax-entity-expansion=\nmax-archive-bytes=\nmax-archive-entries=\n"
             "max-archive-ratio=");
        return 0;
    }
    dp_error_clear(&err);
    if (cli_registry(&reg, NULL, NULL, 0, 0, &err) != 0) {
        cli_error(&err);
        return dp_exit_code(err.code);
    }
    if (strcmp(kind, "input-formats") == 0 || strcmp(kind, "output-formats") == 0) {
        cli_list_formats(reg, kind[0] == 'i' ? DP_PLUGIN_IMPORTER : DP_PLUGIN_EXPORTER);
    } else if (strcmp(kind, "transforms") == 0) {
        for (i = 0; i < dp_registry_count(reg); i++)
            if (dp_registry_at(reg, i)->kind == DP_PLUGIN_TRANSFORM && !dp_registry_at(reg, i)->shadowed_by)
                printf("%s\n", dp_registry_at(reg, i)->format);
    } else if (strcmp(kind, "plugin-options") == 0) {
        /* KEY= of every option of every plugin, each once */
        for (i = 0; i < dp_registry_count(reg); i++) {
            const dp_plugin_info *p = dp_registry_at(reg, i);
            for (k = 0; p->options && p->options[k].key; k++) {
                int seen = 0;
                for (size_t j = 0; j < i && !seen; j++) {
                    const dp_plugin_info *q = dp_registry_at(reg, j);
                    for (size_t m = 0; q->options && q->options[m].key && !seen; m++)
                        seen = strcmp(q->options[m].key, p->options[k].key) == 0;
                }
                for (size_t m = 0; m < k && !seen; m++)
                    seen = strcmp(p->options[m].key, p->options[k].key) == 0;
                if (!seen)
                    printf("%s=\n", p->options[k].key);
            }
        }
    } else {
        dp_registry_free(reg);
        cli_usage_error("completion words: input-formats, output-formats, transforms, plugin-options, "
                        "options or limits, not '%s'", kind);
        return DP_EXIT_USAGE;
    }
    dp_registry_free(reg);
    return 0;
}

int cli_completion(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "words") == 0)
        return words(argv[2]);
    if (argc == 2 && strcmp(argv[1], "bash") == 0) {
        printf(bash_script, subcommands);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "zsh") == 0) {
        printf(zsh_script, subcommands);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "fish") == 0) {
        fish_script();
        return 0;
    }
    cli_usage_error("usage: docpipe completion bash|zsh|fish");
    return DP_EXIT_USAGE;
}
