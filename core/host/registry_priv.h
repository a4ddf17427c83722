/* Internal structure of the plugin registry, shared by its files: the search
 * path (registry.c), directory scans (registry_scan.c), entries
 * (registry_entry.c), descriptor checks (descriptor_check.c), the loader
 * (loader.c), lookups (registry_query.c), module hooks (module_hooks.c) and
 * the registry cache (regcache.c). */
#ifndef DOCPIPE_CORE_REGISTRY_PRIV_H
#define DOCPIPE_CORE_REGISTRY_PRIV_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/host.h"

typedef struct reg_file {
    char *path;
    int64_t size;
    int64_t mtime_sec;
    int64_t mtime_nsec;
    char *module;   /* module name */
    char *version;  /* module version */
    char *reason;   /* refused: why; NULL when accepted */
    int cacheable;  /* a refusal worth remembering (not a transient dlopen failure) */
    void *handle;   /* dlopen handle once opened */
    dp_module_init_fn init; /* the module's hooks (ABI >= 1.1), from its copy */
    dp_module_fini_fn fini;
    int hooked;     /* init has run for this registry (module_hooks.c) */
} reg_file;

typedef struct reg_entry {
    dp_plugin_info info; /* points into the owned storage below */
    dpu_strv aliases;
    dpu_strv extensions;
    dpu_strv mime_types;
    dp_option_spec *options; /* owned copies; key == NULL terminated */
    size_t noptions;
    size_t options_cap; /* when grown one by one (regcache.c); 0 for an exact copy */
    reg_file *file;
    const dp_plugin_desc *desc; /* once the file is open: &desc_copy */
    dp_plugin_desc desc_copy;   /* what the plugin's struct_size says exists, the rest 0 */
} reg_entry;

struct dp_registry {
    dpu_strv dirs;
    reg_file **files;
    size_t nfiles, files_cap;
    reg_entry **entries;
    size_t nentries, entries_cap;
    dp_refusal *refused;
    size_t nrefused, refused_cap;
    char *cache_dir; /* NULL: no cache */
    size_t opened;
    /* dp_registry_load opens files lazily; the lock makes that safe when
     * several threads convert with one registry (dp_convert.h). */
    pthread_mutex_t lock;
    dp_registry_open_fn on_open; /* told of every dlopen, before it */
    void *on_open_payload;
};

/* <dir of libdocpipe.so>/docpipe/plugins (malloc'd), so that a program
 * loading the library from anywhere (Python's ctypes) finds the plugins
 * installed or built beside it; NULL when unknown (libdir.c). */
char *reg_library_plugin_dir(void);

/* A new entry describing desc (strings copied), not yet added. */
reg_entry *reg_entry_from_desc(const dp_plugin_desc *desc);
reg_entry *reg_entry_new(void);
void reg_entry_free(reg_entry *e);
/* Fills info's pointers from the owned storage. */
void reg_entry_finish(reg_entry *e);
void reg_file_free(reg_file *f);
/* Fills o with copies of the strings (key must not be NULL; help NULL means
 * ""), all in one malloc'd block starting at o->key. 0 or DP_ENOMEM. */
int reg_option_set(dp_option_spec *o, dp_opt_type type, const char *key, const char *def, const char *choices,
                   const char *help);

/* The smallest structs a plugin may have: those of ABI 1.0. */
#define REG_MODULE_SIZE_1_0 offsetof(dp_plugin_module, init)
#define REG_DESC_SIZE_1_0 offsetof(dp_plugin_desc, flags) /* flags came in 1.3 */

/* Validates a module descriptor; on refusal returns a malloc'd reason. */
char *reg_check_module(const dp_plugin_module *mod);
/* Copies what the plugin's struct_size says exists into the zeroed *out
 * (the struct must have passed reg_check_module). The core reads only copies. */
void reg_copy_module(const dp_plugin_module *mod, dp_plugin_module *out);
void reg_copy_desc(const dp_plugin_desc *desc, dp_plugin_desc *out);

/* Opens path and checks its descriptor (loader.c). On success *handle and
 * *mod are set; on refusal a malloc'd reason is returned (*cacheable says
 * whether the refusal depends only on the file itself). bind_now: RTLD_NOW
 * (discovery) rather than RTLD_LAZY (a file the cache accepted). */
char *reg_open_module(const char *path, int bind_now, void **handle, dp_plugin_module *mod, int *cacheable);
/* Tells the registry's on_open callback, before every dlopen. */
void reg_tell_open(const dp_registry *reg, const char *path);
/* Opens f (announced, checked, counted) and records its handle and hooks;
 * *module gets the checked copy. NULL, or the malloc'd reason of a refusal. */
char *reg_open_file(dp_registry *reg, reg_file *f, int bind_now, dp_plugin_module *module, int *cacheable);

/* Records that file was refused and why (copies both). 0 or DP_ENOMEM. */
int reg_add_refusal(dp_registry *reg, const char *file, const char *reason);
/* Adds the plugins of every *.so directly in dir (registry_scan.c). 0 or
 * DP_ENOMEM; a file or directory it refuses is recorded, not an error. */
int reg_scan_dir(dp_registry *reg, const char *dir);

/* Module hooks (module_hooks.c), process-wide: the first registry that hands
 * out a plugin of f's module runs its init (under one lock); the last one
 * freed runs its fini. 0, or DP_EPLUGIN with err naming the file. */
int reg_module_acquire(reg_file *f, dp_error *err);
void reg_module_release(reg_file *f);

/* The registry cache of one directory: records of the files it holds. */
typedef struct reg_cache {
    reg_file **files;      /* with entries below pointing at them */
    size_t nfiles, files_cap;
    reg_entry **entries;
    size_t nentries, entries_cap;
    int dirty;
} reg_cache;

void reg_cache_load(reg_cache *cache, const char *cache_dir, const char *plugin_dir);
void reg_cache_save(const reg_cache *cache, const char *cache_dir, const char *plugin_dir);
void reg_cache_clear(reg_cache *cache);

#endif
