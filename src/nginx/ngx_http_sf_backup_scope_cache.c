/*
 * sf-backup-gate: team scope's partition cache (sf_backup_scope_cache), a
 * shared-memory zone of partition -> service answers, used by _scope.c.
 *
 * One entry per partition, in an rbtree keyed by the crc32 of its id (then
 * the id) and a queue of recent use: resolved (a name, kept for valid=),
 * pending (one request of one worker is asking the cluster; the others
 * wait for it) or failed (that lookup failed: only the requests that
 * waited for it, known by its seq, take its answer; a later request asks
 * again).  The zone survives reloads; the least recently used entries make
 * room when it is full.
 *
 * A pending entry names its worker: its pid and the stamp the worker took
 * in the zone when it started.  The zone keeps the stamp of each worker
 * that started (a pid may be given again, to a later worker: its stamp
 * differs), so that a waiter tells a worker that died (SIGKILL, a crash)
 * at once, and takes its lookup over.
 */

#include "ngx_http_sf_backup_common.h"
#include "sfb_scope.h"


#define NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN     36      /* a canonical UUID */


typedef enum {
    NGX_HTTP_SF_BACKUP_SCOPE_PENDING = 1,
    NGX_HTTP_SF_BACKUP_SCOPE_RESOLVED,
    NGX_HTTP_SF_BACKUP_SCOPE_FAILED
} ngx_http_sf_backup_scope_entry_e;


typedef struct {
    ngx_rbtree_node_t                node;      /* key: crc32 of the id */
    ngx_queue_t                      queue;     /* most recent first */
    time_t                           expires;   /* resolved: until;
                                                   pending: stale after */
    ngx_uint_t                       seq;       /* the lookup's number */
    ngx_uint_t                       stamp;     /* pending: its worker's */
    ngx_pid_t                        pid;       /* pending: its worker */
    u_char                           state;
    u_char                           failure;   /* sfb_reason_e */
    u_short                          len;
    u_char                           id[NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN];
    u_char                           name[1];
} ngx_http_sf_backup_scope_node_t;


/* a worker that started with the zone: the stamp it took */
typedef struct {
    ngx_queue_t                      queue;
    ngx_uint_t                       stamp;
    ngx_pid_t                        pid;
} ngx_http_sf_backup_scope_worker_t;


typedef struct {
    ngx_rbtree_t                     rbtree;
    ngx_rbtree_node_t                sentinel;
    ngx_queue_t                      queue;
    ngx_uint_t                       seq;
    ngx_queue_t                      workers;   /* of worker_t */
    ngx_uint_t                       stamps;    /* the last one taken */
} ngx_http_sf_backup_scope_sh_t;


/* shm_zone->data */
typedef struct {
    ngx_http_sf_backup_scope_sh_t   *sh;
    ngx_slab_pool_t                 *shpool;
    ngx_uint_t                       stamp;     /* this worker's; 0: none */
} ngx_http_sf_backup_scope_cache_t;


static void ngx_http_sf_backup_scope_cleanup(void *data);
static ngx_uint_t ngx_http_sf_backup_scope_gone(
    ngx_http_sf_backup_scope_cache_t *cache,
    ngx_http_sf_backup_scope_node_t *sn);
static void ngx_http_sf_backup_scope_register(
    ngx_http_sf_backup_scope_cache_t *cache, ngx_log_t *log);
static ngx_http_sf_backup_scope_node_t *ngx_http_sf_backup_scope_node(
    ngx_http_sf_backup_scope_sh_t *sh, ngx_str_t *id, uint32_t hash);
static void *ngx_http_sf_backup_scope_alloc(
    ngx_http_sf_backup_scope_cache_t *cache, size_t size);
static void ngx_http_sf_backup_scope_delete(
    ngx_http_sf_backup_scope_cache_t *cache,
    ngx_http_sf_backup_scope_node_t *sn);
static void ngx_http_sf_backup_scope_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);
static ngx_int_t ngx_http_sf_backup_scope_init_zone(ngx_shm_zone_t *zone,
    void *data);


/* a request that took a lookup and ended before it: its waiters ask again */
static void
ngx_http_sf_backup_scope_cleanup(void *data)
{
    ngx_http_sf_backup_ctx_t  *ctx = data;

    if (ctx->scope_owner) {
        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, ngx_cycle->log, 0,
                       "sf_backup scope cache: lookup seq:%ui abandoned",
                       ctx->scope_seq);

        ngx_http_sf_backup_scope_cache_abandon(ctx->conf->scope_zone,
                                         &ctx->scope_id, ctx->scope_seq);
        ctx->scope_owner = 0;
    }
}


ngx_http_sf_backup_scope_find_e
ngx_http_sf_backup_scope_cache_find(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx)
{
    u_char                            *p;
    time_t                             now;
    uint32_t                           hash;
    ngx_pid_t                          gone;
    ngx_pool_cleanup_t                *cln;
    ngx_http_sf_backup_scope_node_t   *sn;
    ngx_http_sf_backup_scope_cache_t  *cache;

    cache = slcf->scope_zone->data;
    now = ngx_time();

    if (ctx->scope_id.len != NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN) {
        return NGX_HTTP_SF_BACKUP_SCOPE_ASK;
    }

    /* the cleanup that gives up a lookup this request took, made before
     * it takes one: nothing can fail once the zone is locked */
    if (!ctx->scope_cleanup) {
        cln = ngx_pool_cleanup_add(r->pool, 0);
        if (cln == NULL) {
            return NGX_HTTP_SF_BACKUP_SCOPE_ASK;
        }

        cln->handler = ngx_http_sf_backup_scope_cleanup;
        cln->data = ctx;
        ctx->scope_cleanup = 1;
    }

    hash = ngx_crc32_short(ctx->scope_id.data, ctx->scope_id.len);
    gone = 0;

    ngx_shmtx_lock(&cache->shpool->mutex);

    sn = ngx_http_sf_backup_scope_node(cache->sh, &ctx->scope_id, hash);

    if (sn != NULL) {
        switch (sn->state) {

        case NGX_HTTP_SF_BACKUP_SCOPE_RESOLVED:
            if (sn->expires < now) {
                break;
            }

            ngx_queue_remove(&sn->queue);
            ngx_queue_insert_head(&cache->sh->queue, &sn->queue);

            p = ngx_pnalloc(r->pool, sn->len);
            if (p == NULL) {
                ngx_shmtx_unlock(&cache->shpool->mutex);
                return NGX_HTTP_SF_BACKUP_SCOPE_ASK;
            }

            ngx_memcpy(p, sn->name, sn->len);
            ctx->entity_name.data = p;
            ctx->entity_name.len = sn->len;

            ngx_shmtx_unlock(&cache->shpool->mutex);
            return NGX_HTTP_SF_BACKUP_SCOPE_HIT;

        case NGX_HTTP_SF_BACKUP_SCOPE_FAILED:
            if (ctx->scope_state == NGX_HTTP_SF_BACKUP_SCOPE_WAITING
                && sn->seq == ctx->scope_seq)
            {
                ctx->scope_reason = sn->failure;
                ngx_shmtx_unlock(&cache->shpool->mutex);
                return NGX_HTTP_SF_BACKUP_SCOPE_SHARED_FAILURE;
            }

            break;

        default: /* PENDING */
            if (ngx_http_sf_backup_scope_gone(cache, sn)) {
                /* its worker died (SIGKILL, a crash): taken over */
                gone = sn->pid;
                break;
            }

            if (sn->expires >= now) {
                ctx->scope_seq = sn->seq;
                ngx_shmtx_unlock(&cache->shpool->mutex);
                return NGX_HTTP_SF_BACKUP_SCOPE_WAIT;
            }

            /* older than its lookup may take: its worker is lost to us
             * (its pid given to a process of another program) */
            break;
        }

        ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope cache: %s entry seq:%ui replaced",
                       sn->state == NGX_HTTP_SF_BACKUP_SCOPE_RESOLVED
                       ? "expired"
                       : sn->state == NGX_HTTP_SF_BACKUP_SCOPE_FAILED
                         ? "failed" : gone ? "orphaned" : "stale", sn->seq);

        ngx_http_sf_backup_scope_delete(cache, sn);
    }

    /* ours to ask: a pending entry the others wait on */
    sn = ngx_http_sf_backup_scope_alloc(cache,
                                  sizeof(ngx_http_sf_backup_scope_node_t));

    if (sn == NULL) {
        /* no room even after evicting: ask, unshared */
        ngx_shmtx_unlock(&cache->shpool->mutex);

        ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "sf_backup scope cache: no room for a pending entry");

        return NGX_HTTP_SF_BACKUP_SCOPE_ASK;
    }

    sn->node.key = hash;
    sn->state = NGX_HTTP_SF_BACKUP_SCOPE_PENDING;
    sn->failure = SFB_REASON_NONE;
    sn->seq = ++cache->sh->seq;
    sn->pid = ngx_pid;
    sn->stamp = cache->stamp;
    sn->expires = now + (time_t) (*slcf->scope_lookup_time / 1000) + 1;
    sn->len = 0;
    ngx_memcpy(sn->id, ctx->scope_id.data, NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN);

    ngx_rbtree_insert(&cache->sh->rbtree, &sn->node);
    ngx_queue_insert_head(&cache->sh->queue, &sn->queue);

    ctx->scope_seq = sn->seq;
    ctx->scope_owner = 1;

    ngx_shmtx_unlock(&cache->shpool->mutex);

    if (gone) {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "sf_backup: the lookup of partition \"%V\" was "
                      "pending in worker %P, which is gone; this request "
                      "asks the cluster itself", &ctx->scope_id, gone);
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "sf_backup scope cache: lookup seq:%ui is ours",
                   ctx->scope_seq);

    return NGX_HTTP_SF_BACKUP_SCOPE_ASK;
}


/* The owner's answer: resolved for valid seconds, or failed for its
 * waiters (seq) only. */
void
ngx_http_sf_backup_scope_cache_store(ngx_shm_zone_t *zone, ngx_str_t *id,
    ngx_uint_t seq, sfb_reason_e failure, ngx_str_t *name, time_t valid)
{
    uint32_t                           hash;
    ngx_http_sf_backup_scope_node_t   *sn;
    ngx_http_sf_backup_scope_cache_t  *cache;

    cache = zone->data;
    hash = ngx_crc32_short(id->data, id->len);

    ngx_shmtx_lock(&cache->shpool->mutex);

    sn = ngx_http_sf_backup_scope_node(cache->sh, id, hash);

    if (sn != NULL) {
        if (sn->state == NGX_HTTP_SF_BACKUP_SCOPE_RESOLVED
            && sn->expires >= ngx_time())
        {
            /* another lookup answered first */
            goto done;
        }

        if (failure != SFB_REASON_NONE) {
            if (sn->seq == seq) {
                sn->state = NGX_HTTP_SF_BACKUP_SCOPE_FAILED;
                sn->failure = (u_char) failure;
            }

            goto done;
        }

        ngx_http_sf_backup_scope_delete(cache, sn);

    } else if (failure != SFB_REASON_NONE) {
        goto done;
    }

    sn = ngx_http_sf_backup_scope_alloc(cache,
                                  sizeof(ngx_http_sf_backup_scope_node_t)
                                  + name->len);
    if (sn == NULL) {
        goto done;
    }

    sn->node.key = hash;
    sn->state = NGX_HTTP_SF_BACKUP_SCOPE_RESOLVED;
    sn->failure = SFB_REASON_NONE;
    sn->seq = seq;
    sn->pid = 0;
    sn->stamp = 0;
    sn->expires = ngx_time() + valid;
    sn->len = (u_short) name->len;
    ngx_memcpy(sn->id, id->data, NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN);
    ngx_memcpy(sn->name, name->data, name->len);

    ngx_rbtree_insert(&cache->sh->rbtree, &sn->node);
    ngx_queue_insert_head(&cache->sh->queue, &sn->queue);

done:

    ngx_shmtx_unlock(&cache->shpool->mutex);
}


void
ngx_http_sf_backup_scope_cache_abandon(ngx_shm_zone_t *zone, ngx_str_t *id,
    ngx_uint_t seq)
{
    uint32_t                           hash;
    ngx_http_sf_backup_scope_node_t   *sn;
    ngx_http_sf_backup_scope_cache_t  *cache;

    if (zone == NULL || id->len != NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN) {
        return;
    }

    cache = zone->data;
    hash = ngx_crc32_short(id->data, id->len);

    ngx_shmtx_lock(&cache->shpool->mutex);

    sn = ngx_http_sf_backup_scope_node(cache->sh, id, hash);

    if (sn != NULL && sn->seq == seq
        && sn->state == NGX_HTTP_SF_BACKUP_SCOPE_PENDING)
    {
        ngx_http_sf_backup_scope_delete(cache, sn);
    }

    ngx_shmtx_unlock(&cache->shpool->mutex);
}


/* At a worker's start: its stamp in each sf_backup_scope_cache zone. */
ngx_int_t
ngx_http_sf_backup_scope_cache_init_process(ngx_cycle_t *cycle)
{
    ngx_uint_t        i;
    ngx_shm_zone_t   *zone;
    ngx_list_part_t  *part;

    part = &cycle->shared_memory.part;
    zone = part->elts;

    for (i = 0; /* void */ ; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            zone = part->elts;
            i = 0;
        }

        if (zone[i].init == ngx_http_sf_backup_scope_init_zone) {
            ngx_http_sf_backup_scope_register(zone[i].data, cycle->log);
        }
    }

    return NGX_OK;
}


/*
 * The worker takes a stamp no earlier process of its pid had, and drops
 * the rows of the workers that are gone (and of an earlier process of its
 * pid, gone too).
 */
static void
ngx_http_sf_backup_scope_register(ngx_http_sf_backup_scope_cache_t *cache,
    ngx_log_t *log)
{
    ngx_queue_t                        *q, *next;
    ngx_http_sf_backup_scope_worker_t  *w;

    ngx_shmtx_lock(&cache->shpool->mutex);

    for (q = ngx_queue_head(&cache->sh->workers);
         q != ngx_queue_sentinel(&cache->sh->workers);
         q = next)
    {
        next = ngx_queue_next(q);
        w = ngx_queue_data(q, ngx_http_sf_backup_scope_worker_t, queue);

        if (w->pid == ngx_pid
            || (kill(w->pid, 0) == -1 && ngx_errno == NGX_ESRCH))
        {
            ngx_queue_remove(q);
            ngx_slab_free_locked(cache->shpool, w);
        }
    }

    w = ngx_http_sf_backup_scope_alloc(cache,
                                sizeof(ngx_http_sf_backup_scope_worker_t));

    if (w != NULL) {
        w->pid = ngx_pid;
        w->stamp = ++cache->sh->stamps;
        ngx_queue_insert_tail(&cache->sh->workers, &w->queue);
        cache->stamp = w->stamp;
    }

    ngx_shmtx_unlock(&cache->shpool->mutex);

    if (w == NULL) {
        /* its lookups are still taken over once it is gone, by kill() */
        ngx_log_error(NGX_LOG_WARN, log, 0,
                      "sf_backup: no room for this worker's stamp%s",
                      cache->shpool->log_ctx);
    }
}


/*
 * Under the zone's mutex: the worker of a pending entry is gone, as
 * kill() says, or its pid is now a later worker's (another stamp).  A pid
 * given to a process of another program is not told apart: the entry
 * goes stale instead, once older than its lookup may take.
 */
static ngx_uint_t
ngx_http_sf_backup_scope_gone(ngx_http_sf_backup_scope_cache_t *cache,
    ngx_http_sf_backup_scope_node_t *sn)
{
    ngx_queue_t                        *q;
    ngx_http_sf_backup_scope_worker_t  *w;

    if (sn->pid == ngx_pid) {
        return sn->stamp != cache->stamp;
    }

    for (q = ngx_queue_head(&cache->sh->workers);
         q != ngx_queue_sentinel(&cache->sh->workers);
         q = ngx_queue_next(q))
    {
        w = ngx_queue_data(q, ngx_http_sf_backup_scope_worker_t, queue);

        if (w->pid == sn->pid) {
            if (w->stamp != sn->stamp) {
                return 1;
            }

            break;
        }
    }

    return kill(sn->pid, 0) == -1 && ngx_errno == NGX_ESRCH;
}


/* under the zone's mutex */
static ngx_http_sf_backup_scope_node_t *
ngx_http_sf_backup_scope_node(ngx_http_sf_backup_scope_sh_t *sh,
    ngx_str_t *id, uint32_t hash)
{
    ngx_int_t                         rc;
    ngx_rbtree_node_t                *node, *sentinel;
    ngx_http_sf_backup_scope_node_t  *sn;

    node = sh->rbtree.root;
    sentinel = sh->rbtree.sentinel;

    while (node != sentinel) {

        if (hash != node->key) {
            node = (hash < node->key) ? node->left : node->right;
            continue;
        }

        sn = (ngx_http_sf_backup_scope_node_t *) node;

        rc = ngx_memcmp(id->data, sn->id, NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN);

        if (rc == 0) {
            return sn;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


/* under the zone's mutex; the least recently used entries make room */
static void *
ngx_http_sf_backup_scope_alloc(ngx_http_sf_backup_scope_cache_t *cache,
    size_t size)
{
    void                             *p;
    ngx_uint_t                        i;
    ngx_queue_t                      *q;
    ngx_http_sf_backup_scope_node_t  *sn;

    for (i = 0; i < 16; i++) {
        p = ngx_slab_alloc_locked(cache->shpool, size);
        if (p != NULL) {
            return p;
        }

        if (ngx_queue_empty(&cache->sh->queue)) {
            break;
        }

        q = ngx_queue_last(&cache->sh->queue);
        sn = ngx_queue_data(q, ngx_http_sf_backup_scope_node_t, queue);
        ngx_http_sf_backup_scope_delete(cache, sn);
    }

    return NULL;
}


static void
ngx_http_sf_backup_scope_delete(ngx_http_sf_backup_scope_cache_t *cache,
    ngx_http_sf_backup_scope_node_t *sn)
{
    ngx_queue_remove(&sn->queue);
    ngx_rbtree_delete(&cache->sh->rbtree, &sn->node);
    ngx_slab_free_locked(cache->shpool, sn);
}


static void
ngx_http_sf_backup_scope_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t               **p;
    ngx_http_sf_backup_scope_node_t  *sn, *snt;

    for ( ;; ) {

        if (node->key != temp->key) {
            p = (node->key < temp->key) ? &temp->left : &temp->right;

        } else {
            sn = (ngx_http_sf_backup_scope_node_t *) node;
            snt = (ngx_http_sf_backup_scope_node_t *) temp;

            p = (ngx_memcmp(sn->id, snt->id, NGX_HTTP_SF_BACKUP_SCOPE_ID_LEN)
                 < 0) ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}


/* a reload keeps the zone, and with it every answer, pending lookup and
 * worker's stamp */
static ngx_int_t
ngx_http_sf_backup_scope_init_zone(ngx_shm_zone_t *zone, void *data)
{
    ngx_http_sf_backup_scope_cache_t  *ocache = data;

    size_t                             len;
    ngx_http_sf_backup_scope_cache_t  *cache;

    cache = zone->data;

    if (ocache != NULL) {
        cache->sh = ocache->sh;
        cache->shpool = ocache->shpool;
        cache->stamp = ocache->stamp;   /* master_process off: its own */
        return NGX_OK;
    }

    cache->shpool = (ngx_slab_pool_t *) zone->shm.addr;

    if (zone->shm.exists) {
        cache->sh = cache->shpool->data;
        return NGX_OK;
    }

    cache->sh = ngx_slab_alloc(cache->shpool,
                               sizeof(ngx_http_sf_backup_scope_sh_t));
    if (cache->sh == NULL) {
        return NGX_ERROR;
    }

    cache->shpool->data = cache->sh;

    ngx_rbtree_init(&cache->sh->rbtree, &cache->sh->sentinel,
                    ngx_http_sf_backup_scope_rbtree_insert);
    ngx_queue_init(&cache->sh->queue);
    cache->sh->seq = 0;
    ngx_queue_init(&cache->sh->workers);
    cache->sh->stamps = 0;

    len = sizeof(" in sf_backup_scope_cache zone \"\"") + zone->shm.name.len;

    cache->shpool->log_ctx = ngx_slab_alloc(cache->shpool, len);
    if (cache->shpool->log_ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(cache->shpool->log_ctx,
                " in sf_backup_scope_cache zone \"%V\"%Z", &zone->shm.name);

    cache->shpool->log_nomem = 0;

    return NGX_OK;
}


/* sf_backup_scope_cache zone=name:size [valid=time]; */
char *
ngx_http_sf_backup_scope_cache(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_sf_backup_loc_conf_t *slcf = conf;

    u_char                            *p;
    ssize_t                            size;
    ngx_str_t                         *value, name, s;
    ngx_uint_t                         i;
    ngx_http_sf_backup_scope_cache_t  *cache;

    if (slcf->scope_zone != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name.len = 0;
    size = 0;

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "zone=", 5) == 0) {
            name.data = value[i].data + 5;
            p = (u_char *) ngx_strchr(name.data, ':');

            if (p == NULL) {
                goto invalid;
            }

            name.len = p - name.data;
            s.data = p + 1;
            s.len = value[i].data + value[i].len - s.data;

            size = ngx_parse_size(&s);

            if (name.len == 0 || size == NGX_ERROR) {
                goto invalid;
            }

            if (size < (ssize_t) (8 * ngx_pagesize)) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "\"%V\": zone \"%V\" is too small, at "
                                   "least %uz bytes", &cmd->name, &name,
                                   8 * ngx_pagesize);
                return NGX_CONF_ERROR;
            }

            continue;
        }

        if (ngx_strncmp(value[i].data, "valid=", 6) == 0) {
            s.data = value[i].data + 6;
            s.len = value[i].len - 6;

            slcf->scope_valid = ngx_parse_time(&s, 1);

            if (slcf->scope_valid == (time_t) NGX_ERROR
                || slcf->scope_valid <= 0)
            {
                goto invalid;
            }

            continue;
        }

        goto invalid;
    }

    if (name.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\" must have \"zone=name:size\"",
                           &cmd->name);
        return NGX_CONF_ERROR;
    }

    slcf->scope_zone = ngx_shared_memory_add(cf, &name, size,
                                             &ngx_http_sf_backup_gate_module);
    if (slcf->scope_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (slcf->scope_zone->data == NULL) {
        cache = ngx_pcalloc(cf->pool,
                            sizeof(ngx_http_sf_backup_scope_cache_t));
        if (cache == NULL) {
            return NGX_CONF_ERROR;
        }

        slcf->scope_zone->init = ngx_http_sf_backup_scope_init_zone;
        slcf->scope_zone->data = cache;

    } else if (slcf->scope_zone->init != ngx_http_sf_backup_scope_init_zone)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"%V\": zone \"%V\" is another directive's",
                           &cmd->name, &name);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\" in \"%V\": it takes "
                       "zone=name:size and optionally valid=time",
                       &value[i], &cmd->name);
    return NGX_CONF_ERROR;
}
