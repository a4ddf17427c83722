/* Warnings a person can read: the CLI holds every warning of a run and, at
 * the end, prints one line per distinct message with its count and first
 * locations, then one summary line. A book whose writer drops the class of
 * 321 spans says so once, not 321 times. Presentation warnings (class
 * names, styles: docs/ARCHITECTURE.md, "Warnings") are counted always and
 * shown only with -v. Every single warning is in --report FILE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define SHOWN_LOCATIONS 3 /* locations listed per grouped line */
#define SHOWN_KINDS 25    /* grouped lines printed; the rest are counted */

typedef struct warn_group {
    char *message; /* "span: span with attributes written as raw HTML <span>" */
    char *plugin;
    int cls;
    size_t count;
    char *where[SHOWN_LOCATIONS];
    size_t nwhere;
} warn_group;

struct cli_warnings {
    warn_group *v; /* in order of first appearance */
    size_t n, cap;
    size_t *slots; /* open addressing over v: index + 1, 0 = empty */
    size_t nslots;
    size_t total[2]; /* per class */
    int oom;
};

static size_t hash(int cls, const char *plugin, const char *message)
{
    size_t h = 1469598103934665603u ^ (size_t)cls;
    for (const char *s = plugin; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    h = (h ^ 0xff) * 1099511628211u;
    for (const char *s = message; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int same(const warn_group *g, int cls, const char *plugin, const char *message)
{
    return g->cls == cls && strcmp(g->message, message) == 0 &&
           strcmp(g->plugin ? g->plugin : "", plugin ? plugin : "") == 0;
}

static int rehash(cli_warnings *w, size_t nslots)
{
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < w->n; i++) {
        size_t s = hash(w->v[i].cls, w->v[i].plugin, w->v[i].message) % nslots;
        while (slots[s])
            s = (s + 1) % nslots;
        slots[s] = i + 1;
    }
    free(w->slots);
    w->slots = slots;
    w->nslots = nslots;
    return 0;
}

static warn_group *find_or_add(cli_warnings *w, int cls, const char *plugin, const char *message)
{
    if ((w->n + 1) * 2 > w->nslots && rehash(w, w->nslots ? w->nslots * 2 : 64) != 0)
        return NULL;
    size_t s = hash(cls, plugin, message) % w->nslots;
    for (; w->slots[s]; s = (s + 1) % w->nslots)
        if (same(&w->v[w->slots[s] - 1], cls, plugin, message))
            return &w->v[w->slots[s] - 1];
    if (DP_ARRAY_RESERVE(w->v, w->cap, w->n + 1))
        return NULL;
    warn_group *g = &w->v[w->n];
    memset(g, 0, sizeof *g);
    g->cls = cls;
    g->message = strdup(message);
    g->plugin = plugin ? strdup(plugin) : NULL;
    if (!g->message || (plugin && !g->plugin)) {
        free(g->message);
        free(g->plugin);
        return NULL;
    }
    w->slots[s] = ++w->n;
    return g;
}

/* "book.epub!/OEBPS/ch03.xhtml:12:4", or the node path when the source
 * position is unknown (a warning a writer reports about a node it made). */
static char *location(const dp_diag *d)
{
    char buf[1400];
    const char *file = d->file ? d->file : "";
    if (d->line > 0 && d->column > 0)
        snprintf(buf, sizeof buf, "%s:%d:%d", file, d->line, d->column);
    else if (d->line > 0)
        snprintf(buf, sizeof buf, "%s:%d", file, d->line);
    else if (d->node_path)
        snprintf(buf, sizeof buf, "%s%s%s", file, file[0] ? " " : "", d->node_path);
    else
        snprintf(buf, sizeof buf, "%s", file);
    return buf[0] ? strdup(buf) : NULL;
}

void cli_warnings_add(cli_out *o, const dp_diag *d)
{
    int cls = d->warn_class == DP_WARN_PRESENTATION ? DP_WARN_PRESENTATION : DP_WARN_CONTENT;
    if (!o->warnings && !(o->warnings = calloc(1, sizeof *o->warnings)))
        return;
    cli_warnings *w = o->warnings;
    w->total[cls]++;
    warn_group *g = find_or_add(w, cls, d->plugin, d->message);
    if (!g) {
        w->oom = 1;
        return;
    }
    g->count++;
    if (g->nwhere < SHOWN_LOCATIONS) {
        char *loc = location(d);
        if (loc)
            g->where[g->nwhere++] = loc;
    }
}

static void print_group(const warn_group *g)
{
    if (g->count == 1) { /* one warning reads as it always did: FILE:LINE:COL: message */
        fprintf(stderr, "docpipe: warning: %s%s%s", g->nwhere ? g->where[0] : "", g->nwhere ? ": " : "",
                g->message);
    } else {
        fprintf(stderr, "docpipe: warning: %zu\u00d7 %s", g->count, g->message);
        if (g->nwhere) {
            fputs(" (", stderr);
            for (size_t i = 0; i < g->nwhere; i++)
                fprintf(stderr, "%s%s", i ? ", " : "", g->where[i]);
            fputs(g->count > g->nwhere ? ", \u2026)" : ")", stderr);
        }
    }
    if (g->plugin)
        fprintf(stderr, " [%s]", g->plugin);
    fputc('\n', stderr);
}

void cli_warnings_flush(cli_out *o, const char *report_path)
{
    cli_warnings *w = o->warnings;
    size_t shown = 0, kinds = 0, hidden = 0, grouped = 0;
    if (!w)
        return;
    if (!o->quiet) {
        flockfile(stderr);
        if (o->progress)
            fputs("\r\033[K", stderr);
        for (size_t i = 0; i < w->n; i++) {
            const warn_group *g = &w->v[i];
            if (g->cls == DP_WARN_PRESENTATION && !o->verbose) {
                hidden += g->count;
                continue;
            }
            kinds++;
            grouped |= g->count > 1;
            if (shown < SHOWN_KINDS) {
                print_group(g);
                shown++;
            }
        }
        if (kinds > shown)
            fprintf(stderr, "docpipe: warning: \u2026 and %zu more kinds of warning\n", kinds - shown);
        /* The summary: whenever a line stands for more than one warning or
         * some were not shown, so the count is never hidden. */
        if (grouped || hidden || kinds > shown || w->oom) {
            size_t all = w->total[0] + w->total[1];
            fprintf(stderr, "docpipe: warnings: %zu kind%s, %zu in all (%zu content, %zu presentation%s)", w->n,
                    w->n == 1 ? "" : "s", all, w->total[0], w->total[1],
                    hidden ? ": shown with -v" : "");
            if (report_path)
                fprintf(stderr, "; %s lists every one\n", report_path);
            else
                fputs("; --report FILE lists every one\n", stderr);
        }
        funlockfile(stderr);
    }
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].message);
        free(w->v[i].plugin);
        for (size_t k = 0; k < w->v[i].nwhere; k++)
            free(w->v[i].where[k]);
    }
    free(w->v);
    free(w->slots);
    free(w);
    o->warnings = NULL;
}
