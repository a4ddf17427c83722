/* Stamps: what made an output, stored beside it, so that "up to date" means
 * the same input content, the same job, the same options and the same plugin
 * versions, not only "newer than the input". Two configs writing the same
 * path (configs/speech.yaml and speech-ebook.yaml both write
 * out/speech.epub) no longer take each other's file for their own.
 *
 * The stamp of out/speech.epub is out/.speech.epub.dpstamp (a dot file, so
 * input globs never match it), three lines of text:
 *
 *     docpipe-stamp 1
 *     job /abs/configs/speech.yaml#speech
 *     recipe 0123456789abcdef
 *
 * recipe is a 64-bit FNV-1a hash of the input's bytes, the importer, the
 * transforms and the exporter (ids, versions, options) and the metadata
 * overrides. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_priv.h"

typedef struct fnv {
    unsigned long long h;
} fnv;

static void mix(fnv *f, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        f->h = (f->h ^ p[i]) * 1099511628211ull;
}

/* A string and its end, so that ("ab","c") and ("a","bc") differ. */
static void mix_str(fnv *f, const char *s)
{
    if (s)
        mix(f, s, strlen(s) + 1);
    else
        mix(f, "\x01", 1);
}

static void mix_opts(fnv *f, const dpc_optset *set)
{
    for (size_t i = 0; set && i < set->n; i++) {
        mix_str(f, set->v[i].key);
        mix_str(f, set->v[i].value);
        for (size_t k = 0; k < set->v[i].items.n; k++)
            mix_str(f, set->v[i].items.v[k]);
    }
    mix(f, "\x02", 1);
}

static void mix_plugin(fnv *f, const dp_plugin_info *info)
{
    mix_str(f, info ? info->id : NULL);
    mix_str(f, info ? info->version : NULL);
}

static void mix_mval(fnv *f, const dpc_mval *v)
{
    mix(f, &v->type, sizeof v->type);
    mix_str(f, v->s);
    for (size_t i = 0; i < v->n; i++) {
        if (v->keys)
            mix_str(f, v->keys[i]);
        if (v->items)
            mix_mval(f, &v->items[i]);
    }
}

/* The recipe of output k of item it, the input's bytes included. */
static int recipe(const dp_pipeline *p, const dpc_item *it, size_t k, unsigned long long *out)
{
    const dpc_job *j = &p->jobs[it->job];
    fnv f = {1469598103934665603ull};
    unsigned char *data = NULL;
    size_t len = 0;
    dp_error err;
    if (dpu_read_file(it->input, p->limits.max_input_bytes, &data, &len, &err) != 0)
        return -1;
    mix(&f, data, len);
    free(data);
    mix_str(&f, dp_version());
    mix_plugin(&f, it->importer);
    mix_opts(&f, &j->input.opts);
    for (size_t t = 0; t < j->ntransforms; t++) {
        mix_plugin(&f, j->transforms[t].plugin);
        mix_opts(&f, &j->transforms[t].opts);
    }
    mix_plugin(&f, it->exporters[k]);
    mix_opts(&f, &j->outputs[k].opts);
    mix_opts(&f, &p->cli_opts);
    for (size_t m = 0; m < j->nmeta + p->ncli_meta; m++) {
        const dpc_meta_set *set = m < j->nmeta ? &j->meta[m] : &p->cli_meta[m - j->nmeta];
        mix_str(&f, set->key);
        mix_mval(&f, &set->val);
    }
    *out = f.h;
    return 0;
}

static char *stamp_path(const char *output)
{
    const char *slash = strrchr(output, '/');
    size_t dirlen = slash ? (size_t)(slash - output) + 1 : 0;
    size_t need = strlen(output) + 16;
    char *s = malloc(need);
    if (s)
        snprintf(s, need, "%.*s.%s.dpstamp", (int)dirlen, output, output + dirlen);
    return s;
}

/* "CONFIG#JOB": the job's name, else its place in the config. */
static void job_id(const dp_pipeline *p, const dpc_item *it, char *buf, size_t cap)
{
    const dpc_job *j = &p->jobs[it->job];
    char real[PATH_MAX];
    /* the config's real path: the same job run from another folder is the same job */
    const char *config = p->file && realpath(p->file, real) ? real : p->file ? p->file : "-";
    if (j->name)
        snprintf(buf, cap, "%.900s#%.150s", config, j->name); /* cut alike on both sides */
    else
        snprintf(buf, cap, "%.900s#%zu", config, it->job + 1);
}

int dpc_stamp_check(const dp_pipeline *p, const dpc_item *it, size_t k, int want_recipe, char *other_job,
                    size_t cap)
{
    char *path = stamp_path(it->outputs[k]);
    char line[1200], job[1100], mine[1100];
    unsigned long long want, have = 0;
    int ok = 0;
    FILE *fp;
    other_job[0] = '\0';
    if (!path)
        return 0;
    fp = fopen(path, "re");
    free(path);
    if (!fp)
        return 0; /* no stamp: written by an older docpipe or by hand */
    job[0] = '\0';
    if (fgets(line, sizeof line, fp) && strcmp(line, "docpipe-stamp 1\n") == 0 && fgets(line, sizeof line, fp) &&
        sscanf(line, "job %1099[^\n]", job) == 1 && fgets(line, sizeof line, fp) &&
        sscanf(line, "recipe %llx", &have) == 1)
        ok = 1;
    fclose(fp);
    if (!ok)
        return 0;
    job_id(p, it, mine, sizeof mine);
    if (strcmp(job, mine) != 0) {
        snprintf(other_job, cap, "%s", job);
        return 0;
    }
    return want_recipe && recipe(p, it, k, &want) == 0 && want == have;
}

int dpc_stamp_write(const dp_pipeline *p, const dpc_item *it, size_t k)
{
    char text[1300], job[1100];
    unsigned long long h;
    char *path;
    dp_error err;
    int rc;
    if (recipe(p, it, k, &h) != 0 || !(path = stamp_path(it->outputs[k])))
        return -1;
    job_id(p, it, job, sizeof job);
    snprintf(text, sizeof text, "docpipe-stamp 1\njob %s\nrecipe %016llx\n", job, h);
    dp_error_clear(&err);
    rc = dp_write_file(path, text, strlen(text), 0, &err);
    free(path);
    return rc;
}
