/* daemon.c - the configuration and log of a daemon at start, and its reload, said alike by the milter and the scheduler. */
#include <stdio.h>

#include <glib.h>

#include "daemon.h"
#include "log.h"
#include "token.h"

/* The configuration at PATH with its reply-token keys: a daemon signs every Message-ID it sends and verifies
 * the ones replies quote, so it does not run without them. */
static sg_config *load_with_keys(const char *path, char **err)
{
    sg_config *cfg = sg_config_load(path, err);
    sg_token_keys *keys = cfg ? sg_token_keys_load(cfg, err) : NULL;
    if (cfg && !keys) {
        sg_config_unref(cfg);
        return NULL;
    }
    if (cfg)
        sg_config_set_tokens(cfg, keys);
    return cfg;
}

sg_config *sg_daemon_start(const char *prog, const char *path, int to_stderr)
{
    char *err = NULL;
    sg_config *cfg = load_with_keys(path, &err);
    if (!cfg) {
        fprintf(stderr, "%s: %s\n", prog, err);
        g_free(err);
        return NULL;
    }
    sg_log_open(prog, sg_config_str(cfg, SG_CFG_LOG_FACILITY), to_stderr);
    return cfg;
}

sg_config *sg_daemon_reload(const sg_config *cur)
{
    char *err = NULL;
    sg_config *next = load_with_keys(sg_config_path(cur), &err);
    if (!next) {
        sg_log(LOG_ERR, "reload refused, keeping the running configuration: %s", err);
        g_free(err);
        return NULL;
    }
    char *stale = sg_config_restart_keys(cur, next);
    sg_log(LOG_INFO, "configuration reloaded from %s%s%s", sg_config_path(cur),
           stale ? "; changed keys that take effect only after a restart: " : "", stale ? stale : "");
    g_free(stale);
    return next;
}
