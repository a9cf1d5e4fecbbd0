/*
 * sf-backup-gate: the ledger, which links the audit chains of every worker
 * generation.
 *
 * A shared zone per audit file with a key survives reloads and worker
 * respawns: each worker notes its chain and the seq of its last record
 * written there; the next record written by any worker names a chain that
 * ended, or whose worker died, in its prev_chain and prev_seq.  After a
 * full restart the ledger is seeded from the chains at the end of the file.
 *
 * The ledger also knows the key that sealed the newest chain: a worker
 * whose key differs (a rotation, a switch to or from sealing, by reload or
 * restart) is the first of a new key, and its first record retires the old
 * key, naming the old key's chains still live (sfb_audit.h).
 */

#include "ngx_http_sf_backup_audit.h"


/* a row per chain that is live, or ended and not named yet */
#define NGX_HTTP_SF_BACKUP_LEDGER_ROWS     64
#define NGX_HTTP_SF_BACKUP_LEDGER_SEED     (64 * 1024)  /* file tail read */
#define NGX_HTTP_SF_BACKUP_LEDGER_FREE     0
#define NGX_HTTP_SF_BACKUP_LEDGER_LIVE     1
#define NGX_HTTP_SF_BACKUP_LEDGER_ENDED    2


typedef struct {
    ngx_pid_t                         pid;      /* 0: seeded from the file */
    ngx_uint_t                        state;
    uint64_t                          seq;      /* last record written */
    u_char                            id[2 * SFB_AUDIT_CHAIN_ID_LEN];
    u_char                            key_id[SFB_AUDIT_KEY_ID_HEX];
} ngx_http_sf_backup_ledger_row_t;


typedef struct {
    ngx_atomic_t                      ended;    /* bumped at every end */
    u_char                            key_id[SFB_AUDIT_KEY_ID_HEX];
                                                /* the newest chain's; "" */
    ngx_http_sf_backup_ledger_row_t   rows[NGX_HTTP_SF_BACKUP_LEDGER_ROWS];
} ngx_http_sf_backup_ledger_t;


static ngx_int_t ngx_http_sf_backup_ledger_init_zone(ngx_shm_zone_t *zone,
    void *data);
static void ngx_http_sf_backup_ledger_seed(ngx_http_sf_backup_ledger_t *l,
    ngx_str_t *path, ngx_log_t *log);
static void ngx_http_sf_backup_ledger_retire(ngx_http_sf_backup_audit_t *audit,
    ngx_http_sf_backup_ledger_t *l, ngx_log_t *log);
static ngx_uint_t ngx_http_sf_backup_ledger_alive(
    ngx_http_sf_backup_ledger_row_t *row);


/* The ledger: one zone per file, found again after a reload. */
char *
ngx_http_sf_backup_ledger_add(ngx_conf_t *cf,
    ngx_http_sf_backup_audit_t *audit)
{
    ngx_str_t  name;

    if (audit->zone != NULL) {
        return NGX_CONF_OK;
    }

    name.len = sizeof("sf_backup_audit:") - 1 + audit->file->name.len;
    name.data = ngx_pnalloc(cf->pool, name.len);
    if (name.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_sprintf(name.data, "sf_backup_audit:%V", &audit->file->name);

    audit->zone = ngx_shared_memory_add(cf, &name, 8 * ngx_pagesize,
                                        &ngx_http_sf_backup_gate_module);
    if (audit->zone == NULL) {
        return NGX_CONF_ERROR;
    }

    audit->zone->init = ngx_http_sf_backup_ledger_init_zone;
    audit->zone->data = audit;

    return NGX_CONF_OK;
}


/* In the master, at each configuration: the ledger found again, or new. */
static ngx_int_t
ngx_http_sf_backup_ledger_init_zone(ngx_shm_zone_t *zone, void *data)
{
    ngx_http_sf_backup_audit_t  *old = data;

    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_audit_t   *audit;
    ngx_http_sf_backup_ledger_t  *l;

    audit = zone->data;

    if (old != NULL) {
        audit->ledger = old->ledger;

        ngx_log_debug1(NGX_LOG_DEBUG_CORE, zone->shm.log, 0,
                       "sf_backup ledger \"%V\" kept", &zone->shm.name);
        return NGX_OK;
    }

    shpool = (ngx_slab_pool_t *) zone->shm.addr;

    l = ngx_slab_calloc(shpool, sizeof(ngx_http_sf_backup_ledger_t));
    if (l == NULL) {
        return NGX_ERROR;
    }

    shpool->data = l;
    audit->ledger = l;

    /* a full restart: the chains that ended last are in the file */
    ngx_http_sf_backup_ledger_seed(l, &audit->file->name, zone->shm.log);

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, zone->shm.log, 0,
                   "sf_backup ledger \"%V\" new, %uA chains from the file",
                   &zone->shm.name, l->ended);

    return NGX_OK;
}


/*
 * The chains whose last records are at the end of the file, newest first,
 * to be named by the first records of the new workers.  Read as written:
 * the MACs are the verifier's to check.
 */
static void
ngx_http_sf_backup_ledger_seed(ngx_http_sf_backup_ledger_t *l,
    ngx_str_t *path, ngx_log_t *log)
{
    char             id[2 * SFB_AUDIT_CHAIN_ID_LEN];
    char             key_id[SFB_AUDIT_KEY_ID_HEX + 1];
    u_char          *buf, *p, *end, *line, *name;
    off_t            from;
    ssize_t          n;
    uint64_t         seq;
    ngx_fd_t         fd;
    ngx_uint_t       i, k, ok;
    ngx_file_info_t  fi;

    seq = 0;

    /* the C library's malloc(): the sanitizers watch what it does */
    name = malloc(path->len + 1);
    buf = malloc(NGX_HTTP_SF_BACKUP_LEDGER_SEED);

    if (name == NULL || buf == NULL) {
        free(name);
        free(buf);
        return;
    }

    ngx_cpystrn(name, path->data, path->len + 1);

    fd = ngx_open_file(name, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    free(name);

    if (fd == NGX_INVALID_FILE) {
        free(buf);
        return;
    }

    n = -1;

    if (ngx_fd_info(fd, &fi) != NGX_FILE_ERROR) {
        from = ngx_file_size(&fi) - NGX_HTTP_SF_BACKUP_LEDGER_SEED;
        n = pread(fd, buf, NGX_HTTP_SF_BACKUP_LEDGER_SEED,
                  from > 0 ? from : 0);
    }

    (void) ngx_close_file(fd);

    end = buf + (n > 0 ? n : 0);
    k = 0;

    /* whole lines from the last one back */

    while (end > buf && k < NGX_HTTP_SF_BACKUP_LEDGER_ROWS / 4) {

        if (end[-1] != '\n') {
            /* a partial last line: not a record */
            for (p = end; p > buf && p[-1] != '\n'; p--) { /* void */ }
            end = p;
            continue;
        }

        for (p = end - 1; p > buf && p[-1] != '\n'; p--) { /* void */ }

        line = p;

        /* the first line may be a piece of one, unless the file is whole */

        ok = (p > buf || n < NGX_HTTP_SF_BACKUP_LEDGER_SEED)
             && sfb_audit_line_chain(line, end - 1 - line, id, &seq, key_id)
                == 0;

        end = p;

        if (!ok) {
            continue;
        }

        /* the newest record's key: the one a new key retires */

        if (l->key_id[0] == '\0') {
            ngx_memcpy(l->key_id, key_id, SFB_AUDIT_KEY_ID_HEX);
        }

        for (i = 0; i < k; i++) {
            if (ngx_memcmp(l->rows[i].id, id, sizeof(id)) == 0) {
                break;
            }
        }

        if (i == k) {
            ngx_memcpy(l->rows[k].id, id, sizeof(id));
            ngx_memcpy(l->rows[k].key_id, key_id, SFB_AUDIT_KEY_ID_HEX);
            l->rows[k].seq = seq;
            l->rows[k].state = NGX_HTTP_SF_BACKUP_LEDGER_ENDED;
            k++;
        }
    }

    l->ended = k;

    free(buf);
}


void
ngx_http_sf_backup_ledger_take(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log)
{
    ngx_uint_t                    i;
    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    ngx_http_sf_backup_ledger_retire(audit, l, log);

    for (i = 0; i < NGX_HTTP_SF_BACKUP_LEDGER_ROWS; i++) {
        if (l->rows[i].state == NGX_HTTP_SF_BACKUP_LEDGER_FREE) {
            l->rows[i].state = NGX_HTTP_SF_BACKUP_LEDGER_LIVE;
            l->rows[i].pid = ngx_pid;
            l->rows[i].seq = 0;
            ngx_memcpy(l->rows[i].id, sfb_audit_chain_id(audit->chain),
                       2 * SFB_AUDIT_CHAIN_ID_LEN);
            ngx_memcpy(l->rows[i].key_id,
                       sfb_audit_chain_key_id(audit->chain),
                       SFB_AUDIT_KEY_ID_HEX);
            audit->row = i;
            break;
        }
    }

    ngx_shmtx_unlock(&shpool->mutex);

    if (audit->row == -1) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: the chain ledger of \"%V\" is full: this "
                      "worker's chain will not be named when it ends",
                      &audit->name);
        return;
    }

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, log, 0,
                   "sf_backup ledger row %i: chain %s", audit->row,
                   sfb_audit_chain_id(audit->chain));
}


/*
 * Under the ledger's lock, as a worker takes its row: the first worker of a
 * new key retires the key of the newest chain, naming the chains that key
 * still seals (the old generation's workers, finishing their requests).
 */
static void
ngx_http_sf_backup_ledger_retire(ngx_http_sf_backup_audit_t *audit,
    ngx_http_sf_backup_ledger_t *l, ngx_log_t *log)
{
    char                              old[SFB_AUDIT_KEY_ID_HEX + 1];
    ngx_uint_t                        i;
    const char                       *mine;
    ngx_http_sf_backup_ledger_row_t  *row;

    mine = sfb_audit_chain_key_id(audit->chain);

    if (l->key_id[0] == '\0'
        || ngx_memcmp(l->key_id, mine, SFB_AUDIT_KEY_ID_HEX) == 0)
    {
        ngx_memcpy(l->key_id, mine, SFB_AUDIT_KEY_ID_HEX);
        return;
    }

    ngx_memcpy(old, l->key_id, SFB_AUDIT_KEY_ID_HEX);
    old[SFB_AUDIT_KEY_ID_HEX] = '\0';

    if (sfb_audit_chain_retire(audit->chain, old) != 0) {
        ngx_log_error(NGX_LOG_ALERT, log, 0,
                      "sf_backup: key %s of \"%V\" is not a key_id: its "
                      "retirement is not recorded", old, &audit->name);
        return;
    }

    for (i = 0; i < NGX_HTTP_SF_BACKUP_LEDGER_ROWS; i++) {
        row = &l->rows[i];

        if (row->state == NGX_HTTP_SF_BACKUP_LEDGER_LIVE
            && ngx_memcmp(row->key_id, old, SFB_AUDIT_KEY_ID_HEX) == 0
            && ngx_http_sf_backup_ledger_alive(row))
        {
            ngx_log_debug2(NGX_LOG_DEBUG_CORE, log, 0,
                           "sf_backup ledger: chain %*s of the old key "
                           "still live", sizeof(row->id), row->id);

            (void) sfb_audit_chain_retiring_chain(audit->chain,
                                                  (const char *) row->id);
        }
    }

    ngx_log_error(NGX_LOG_NOTICE, log, 0,
                  "sf_backup: audit key %s of \"%V\" replaces key %s: the "
                  "next record retires it", mine, &audit->name, old);

    ngx_memcpy(l->key_id, mine, SFB_AUDIT_KEY_ID_HEX);
}


/* a new chain in this worker (reopen, a cut write): it names the old one */
void
ngx_http_sf_backup_ledger_started(ngx_http_sf_backup_audit_t *audit)
{
    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    if (audit->row == -1) {
        return;
    }

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    l->rows[audit->row].seq = 0;
    ngx_memcpy(l->rows[audit->row].id, sfb_audit_chain_id(audit->chain),
               2 * SFB_AUDIT_CHAIN_ID_LEN);

    ngx_shmtx_unlock(&shpool->mutex);

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, ngx_cycle->log, 0,
                   "sf_backup ledger row %i: new chain %s", audit->row,
                   sfb_audit_chain_id(audit->chain));
}


/* only this worker writes its row's seq: no lock */
void
ngx_http_sf_backup_ledger_wrote(ngx_http_sf_backup_audit_t *audit)
{
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    if (audit->row != -1 && audit->chain) {
        l->rows[audit->row].seq = sfb_audit_chain_seq(audit->chain);
    }
}


/*
 * The next record names one chain that ended (or whose worker died:
 * dead, checked at start and at each heartbeat) and that no one named yet.
 * One per record: the others wait for the next.
 */
void
ngx_http_sf_backup_ledger_claim(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t dead)
{
    ngx_int_t                         i;
    ngx_uint_t                        more;
    ngx_atomic_uint_t                 ended;
    ngx_slab_pool_t                  *shpool;
    ngx_http_sf_backup_ledger_t      *l = audit->ledger;
    ngx_http_sf_backup_ledger_row_t  *row;

    if (l == NULL || audit->chain == NULL
        || sfb_audit_chain_linking(audit->chain)
        || (!dead && l->ended == audit->seen_ended))
    {
        return;
    }

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    ended = l->ended;
    more = 0;

    for (i = 0; i < NGX_HTTP_SF_BACKUP_LEDGER_ROWS; i++) {
        row = &l->rows[i];

        if (i == audit->row || row->state == NGX_HTTP_SF_BACKUP_LEDGER_FREE) {
            continue;
        }

        if (row->state == NGX_HTTP_SF_BACKUP_LEDGER_LIVE
            && (!dead || ngx_http_sf_backup_ledger_alive(row)))
        {
            continue;
        }

        /* ended, or its worker is gone: seq is where it ended */

        if (row->seq == 0) {
            row->state = NGX_HTTP_SF_BACKUP_LEDGER_FREE;
            continue;
        }

        if (sfb_audit_chain_linking(audit->chain)) {
            more = 1;
            break;
        }

        /* named now (an id that is not one, from the file, never) */
        ngx_log_debug3(NGX_LOG_DEBUG_CORE, ngx_cycle->log, 0,
                       "sf_backup ledger: chain %*s ended at seq %uL, "
                       "claimed", sizeof(row->id), row->id, row->seq);

        (void) sfb_audit_chain_link(audit->chain, (const char *) row->id,
                                    row->seq);
        row->state = NGX_HTTP_SF_BACKUP_LEDGER_FREE;
    }

    if (!more) {
        audit->seen_ended = ended;
    }

    ngx_shmtx_unlock(&shpool->mutex);
}


/* a live row's worker may still run (a pid unknown counts as running) */
static ngx_uint_t
ngx_http_sf_backup_ledger_alive(ngx_http_sf_backup_ledger_row_t *row)
{
    return row->pid <= 0 || kill(row->pid, 0) == 0
           || ngx_errno != NGX_ESRCH;
}


/* the worker leaves: its chain, if it wrote anything, waits to be named */
void
ngx_http_sf_backup_ledger_end(ngx_http_sf_backup_audit_t *audit)
{
    ngx_slab_pool_t              *shpool;
    ngx_http_sf_backup_ledger_t  *l = audit->ledger;

    if (audit->row == -1 || l == NULL) {
        return;
    }

    shpool = (ngx_slab_pool_t *) audit->zone->shm.addr;

    ngx_shmtx_lock(&shpool->mutex);

    l->rows[audit->row].seq = sfb_audit_chain_seq(audit->chain);
    l->rows[audit->row].state = l->rows[audit->row].seq
                                ? NGX_HTTP_SF_BACKUP_LEDGER_ENDED
                                : NGX_HTTP_SF_BACKUP_LEDGER_FREE;
    l->ended++;

    ngx_shmtx_unlock(&shpool->mutex);

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, ngx_cycle->log, 0,
                   "sf_backup ledger row %i: chain ended at seq %uL",
                   audit->row, sfb_audit_chain_seq(audit->chain));

    audit->row = -1;
}
