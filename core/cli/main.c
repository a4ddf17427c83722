/* docpipe: entry point. Dispatches to a subcommand (run, plugins, formats)
 * or, by default, converts one input. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"

void cli_help(FILE *fp)
{
    fputs("Usage: docpipe [OPTIONS] [INPUT] [-o OUTPUT]\n"
          "       docpipe run CONFIG.yaml [--dry-run] [--jobs N] [--force] [--fail-fast] [--report FILE]\n"
          "                               [--shard K/N] [--strict] [--durable] [-v|-q] [--plugin-dir DIR]\n"
          "                               [--allow-plugin-path] [--allow-filter] [--allow-outside]\n"
          "                               [--trust-config]\n"
          "       docpipe plugins [-v]\n"
          "       docpipe formats\n"
          "       docpipe completion bash|zsh|fish   (prints the shell completion script)\n"
          "\n"
          "Converts INPUT (a file, or '-' / nothing for standard input) to OUTPUT. Formats are\n"
          "inferred from the extensions (standard input needs -f). Without -o the output goes to\n"
          "standard output (a binary format such as EPUB only when that is not a terminal).\n"
          "\n"
          "Conversion options:\n"
          "  -o, --output FILE      write here (atomically: the old file stays if anything fails)\n"
          "      --durable          also fsync each output and its directory, so it survives a\n"
          "                         power cut (slower: ~9 ms per file; config: durable: true)\n"
          "  -f, --from FORMAT      input format (markdown/md, html, epub, tei, json ...)\n"
          "  -t, --to FORMAT        output format ('-t json' dumps the document tree)\n"
          "  -M, --metadata K=V     set a metadata key (dotted keys reach into maps: source.url=...;\n"
          "                         repeatable)\n"
          "  -O, --option K=V       set a plugin option (for every plugin of the run declaring K;\n"
          "                         repeatable)\n"
          "  -T, --transform NAME   apply a transform plugin (repeatable, in order)\n"
          "      --limit K=V        safety limit (repeatable): max-input-bytes, max-depth,\n"
          "                         max-entity-expansion, max-archive-bytes, max-archive-entries,\n"
          "                         max-archive-ratio (docpipe run: the config's limits)\n"
          "      --strict           a content warning (words, notes, tables, images, links, math\n"
          "                         lost) fails the run (exit 7), nothing is written\n"
          "      --report FILE      write every warning as a JSON line (class, code, node, location)\n"
          "      --unsafe           trusted input: HTML and EPUB output keep scripts, event handlers\n"
          "                         and javascript: URLs (default: safe, an allow-list; config: safe: false)\n"
          "  -v, --verbose          more detail (presentation warnings, info messages, plugin files)\n"
          "  -q, --quiet            no warnings, only errors\n"
          "      --plugin-dir DIR   search DIR for plugins first (repeatable)\n"
          "      --no-cache         do not read or write the plugin registry cache\n"
          "  -h, --help             this help\n"
          "      --version          version and plugin ABI (-V is pandoc's --variable now)\n"
          "\n",
          fp);
    /* separate strings: C11 compilers need only take 4095 characters in one */
    fputs("pandoc's spellings (docs/PANDOC.md; the writer's option where it has one):\n"
          "  -s, --standalone       a whole document (the default; HTML: fragment=false)\n"
          "      --toc, --table-of-contents  a table of contents (HTML: toc; EPUB: always;\n"
          "                         else -T toc)\n"
          "      --toc-depth N      heading levels in the table of contents\n"
          "  -N, --number-sections  number the headings\n"
          "      --css URL          a stylesheet (repeatable; metadata css)\n"
          "      --metadata-file FILE  metadata from a YAML mapping (repeatable; -M wins)\n"
          "  -V, --variable K=V     the same as -M K=V (templates see metadata as variables)\n"
          "      --template FILE    the page from a template (HTML; EPUB content pages; pandoc's syntax)\n"
          "      --print-default-template FORMAT  the writer's built-in template\n"
          "      --shift-heading-level-by N  add N to every heading level (a transform, in order)\n"
          "      --epub-cover-image FILE  metadata cover-image, the file read into the book\n"
          "      --extract-media DIR  write the images, fonts, media the output uses into DIR\n"
          "                         (HTML, Markdown; default: OUTPUT-STEM_files beside -o FILE)\n"
          "      --embed-resources, --self-contained  embed them as data: URIs instead\n"
          "      --epub-metadata FILE  Dublin Core elements added to the EPUB package\n"
          "                         (EPUB writer: epub-metadata)\n"
          "      --wrap none|auto|preserve, --columns N  Markdown line wrapping (width)\n"
          "      --filter CMD       run a pandoc JSON filter (repeatable, in order with -T)\n"
          "      --fail-if-warnings the same as --strict\n"
          "      --list-input-formats, --list-output-formats, --list-extensions[=FORMAT]\n"
          "                         formats -f/-t accept; the reader's switches (-f md+smart)\n"
          "\n",
          fp);
    fputs("Run options (docpipe run):\n"
          "      --dry-run          print the plan (inputs, outputs, plugins) and stop\n"
          "  -j, --jobs N           convert N files in parallel (default: all cores)\n"
          "      --force            rebuild outputs that are up to date\n"
          "      --fail-fast        stop at the first failed file\n"
          "      --report FILE      write one JSON line per input file and per warning\n"
          "      --shard K/N        run only the K-th of N deterministic slices of the inputs\n"
          "\n"
          "A config may come from someone else, so by default it may not run code or write\n"
          "outside its own folder; you allow each (docs/SECURITY.md):\n"
          "      --allow-plugin-path\n"
          "                         load plugins from the config's plugin-path (never with\n"
          "                         --dry-run, which opens no plugin from a config path)\n"
          "      --allow-filter     let the config's filter transforms run their programs\n"
          "      --allow-outside    let outputs leave the config's folder ('..', absolute paths,\n"
          "                         symbolic links leading out)\n"
          "      --trust-config     all three\n"
          "\n"
          "Plugins are searched in: --plugin-dir, the config's plugin-path, $DOCPIPE_PLUGIN_PATH\n"
          "(colon-separated), the build tree / prefix beside this executable, then the installed\n"
          "directory; never the current directory. The registry cache lives in $DOCPIPE_CACHE_DIR,\n"
          "else $XDG_CACHE_HOME/docpipe, else ~/.cache/docpipe.\n"
          "\n"
          "Exit codes:\n"
          "  0  success\n"
          "  1  internal error (a bug, or out of memory)\n"
          "  2  usage: bad command line\n"
          "  3  input: unreadable or malformed input, or a safety limit exceeded\n"
          "  4  config: bad pipeline config\n"
          "  5  plugin: plugin missing, refused or failed\n"
          "  6  output: output could not be written\n"
          "  7  loss: --strict and a loss was reported\n"
          "Messages: 'docpipe: error: FILE:LINE:COL: ...', 'docpipe: warning: ...'. Repeated warnings\n"
          "are printed once with their count and first locations, then a summary line; warnings\n"
          "about presentation (class names, styles) only with -v. Global options (-q, -v, --strict,\n"
          "--plugin-dir ...) may also come before the subcommand: docpipe -q run CONFIG.yaml.\n",
          fp);
}

/* glibc's malloc, tuned for a converter (figures: docs/PERFORMANCE.md).
 * By default it returns memory as soon as 128 KB are free at the top of the
 * heap, and its mmap threshold moves with the sizes it has seen. zlib takes
 * about 260 KB for each deflate stream and frees them at the stream's end,
 * and libzip opens one stream per EPUB entry: the heap went up and down for
 * every entry and faulted its pages in again each time (an EPUB of one word:
 * 636 page faults, 472 with these settings). Fixed values also make the peak
 * memory of a large conversion repeatable: 10 MB TEI -> Markdown peaked at
 * 67 or 75 MB from one run to the next, depending on where the moving
 * threshold had put the freed input tree; with fixed ones, at the same
 * figure every run. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

/* Options that mean the same to every subcommand; with an argument (1) or
 * without (0). */
static int global_option(const char *a)
{
    static const char *const flags[] = {"-q", "--quiet", "-v", "--verbose", "--strict", "--no-cache",
                                        "--durable", NULL};
    for (int i = 0; flags[i]; i++)
        if (strcmp(a, flags[i]) == 0)
            return 0;
    if (strcmp(a, "--plugin-dir") == 0 || strcmp(a, "--report") == 0)
        return 1;
    if (strncmp(a, "--plugin-dir=", 13) == 0 || strncmp(a, "--report=", 9) == 0)
        return 0;
    return -1;
}

static int is_subcommand(const char *a)
{
    static const char *const names[] = {"run", "plugins", "formats", "completion", "help", NULL};
    for (int i = 0; names[i]; i++)
        if (strcmp(a, names[i]) == 0)
            return 1;
    return 0;
}

/* "docpipe -q run CONFIG" as "docpipe run -q CONFIG": global options may
 * come before the subcommand too (as git's and cargo's do). Only when
 * everything before the subcommand's name is a global option, so an input
 * file called "run" after -o or -t is still an input. */
static void subcommand_first(int argc, char **argv)
{
    int i = 1;
    while (i < argc) {
        int takes = global_option(argv[i]);
        if (takes < 0)
            break;
        i += 1 + takes;
    }
    if (i == 1 || i >= argc || !is_subcommand(argv[i]))
        return;
    char *sub = argv[i];
    memmove(&argv[2], &argv[1], (size_t)(i - 1) * sizeof *argv);
    argv[1] = sub;
}

int main(int argc, char **argv)
{
    tune_malloc();
    subcommand_first(argc, argv);
    if (argc > 1) {
        if (strcmp(argv[1], "run") == 0)
            return cli_run(argc - 1, argv + 1);
        if (strcmp(argv[1], "plugins") == 0)
            return cli_plugins(argc - 1, argv + 1);
        if (strcmp(argv[1], "formats") == 0)
            return cli_formats(argc - 1, argv + 1);
        if (strcmp(argv[1], "completion") == 0)
            return cli_completion(argc - 1, argv + 1);
        if (strcmp(argv[1], "help") == 0) {
            cli_help(stdout);
            return 0;
        }
    }
    return cli_convert(argc, argv);
}
