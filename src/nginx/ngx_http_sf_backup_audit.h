/*
 * sf-backup-gate: what the audit log's glue files share: the audit
 * destination's members, the writer's, the ledger's and sealing's calls.
 *
 * ngx_http_sf_backup_log.c        log phase: a request's record, made and
 *                                 queued; per-worker setup and exit
 * ngx_http_sf_backup_audit_write.c  the writer: one write(2) per event-loop
 *                                 turn, losses said aloud, the chain's own
 *                                 records (end, heartbeat), reopen
 * ngx_http_sf_backup_audit_conf.c sf_backup_audit_log, sf_backup_audit_key
 * ngx_http_sf_backup_ledger.c     the shared zone that links the chains of
 *                                 every worker generation
 * ngx_http_sf_backup_seal.c       sf_backup_audit_seal: forward-secure
 *                                 sealing, its key moved on at each epoch
 *
 * The writer, the ledger and sealing use nothing of the log phase's file:
 * log.c calls them, never the other way round; the writer calls sealing
 * and the ledger, which call neither.
 */

#ifndef NGX_HTTP_SF_BACKUP_AUDIT_H
#define NGX_HTTP_SF_BACKUP_AUDIT_H


#include "ngx_http_sf_backup_common.h"


/* One audit destination, shared by the locations that name the same path. */
struct ngx_http_sf_backup_audit_s {
    ngx_str_t                       name;       /* path or syslog:... */
    ngx_http_sf_backup_conf_at_t    at;         /* where first named */
    ngx_open_file_t                *file;       /* NULL for syslog */
    ngx_syslog_peer_t              *syslog;
    sfb_audit_chain_t              *chain;      /* per worker, NULL: no key */
    ngx_str_t                       key;
    ngx_str_t                       seal_path;  /* sf_backup_audit_seal */
    int                             seal_fd;    /* the master's, inherited */
    sfb_seal_t                     *seal;       /* per worker: k_epoch */
    time_t                          seal_retry; /* state file, next try */
    ngx_event_t                     seal_epoch; /* the next epoch's start */
    ngx_str_t                       node;       /* every record's "node" */
    ngx_fd_t                        chain_fd;   /* fd the chain started on */
    ngx_fd_t                        protected_fd;   /* made 0640 */
    u_char                         *buffer;     /* records waiting */
    size_t                          size;
    size_t                          pending_len;
    ngx_uint_t                      pending_records;
    ngx_event_t                     flush;      /* posted: end of iteration */
    ngx_uint_t                      written;
    ngx_uint_t                      failed;

    /* the chains of every worker generation, linked (files with a key) */
    ngx_shm_zone_t                 *zone;
    void                           *ledger;     /* in the zone */
    ngx_int_t                       row;        /* this worker's; -1 */
    ngx_atomic_uint_t               seen_ended;
    ngx_msec_t                      heartbeat;  /* 0: none */
    ngx_event_t                     beat;
    unsigned                        ended:1;    /* end record written */
    unsigned                        seal_behind:1;  /* state file not
                                                       moved on yet */
    unsigned                        seal_broken:1;  /* cannot seal: 503 */
};


/* per-worker buffer of records waiting for the end of the loop's turn */
#define NGX_HTTP_SF_BACKUP_AUDIT_BUFFER    (64 * 1024)

#define NGX_HTTP_SF_BACKUP_HEARTBEAT       60000


/* the writer */
ngx_int_t ngx_http_sf_backup_audit_put(ngx_http_sf_backup_audit_t *audit,
    sfb_audit_record_t *rec, ngx_uint_t now, ngx_pool_t *pool, ngx_log_t *log);
ngx_int_t ngx_http_sf_backup_audit_chain_check(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);
void ngx_http_sf_backup_audit_flush_handler(ngx_event_t *ev);
ngx_int_t ngx_http_sf_backup_audit_flush(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);
ngx_int_t ngx_http_sf_backup_audit_write(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, u_char *data, size_t len,
    ngx_uint_t records);
void ngx_http_sf_backup_audit_count(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t written, ngx_uint_t failed);
ngx_int_t ngx_http_sf_backup_audit_event(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit, const char *phase,
    const char *reason);
void ngx_http_sf_backup_audit_beat(ngx_event_t *ev);
void ngx_http_sf_backup_audit_reopen(ngx_open_file_t *file, ngx_log_t *log);
ngx_int_t ngx_http_sf_backup_audit_protect(ngx_log_t *log,
    ngx_http_sf_backup_audit_t *audit);

/* the directives */

/* sealing */
ngx_int_t ngx_http_sf_backup_seal_open(ngx_conf_t *cf,
    ngx_http_sf_backup_audit_t *audit, time_t interval, ngx_str_t *given);
ngx_int_t ngx_http_sf_backup_seal_init_process(ngx_cycle_t *cycle,
    ngx_http_sf_backup_audit_t *audit);
ngx_int_t ngx_http_sf_backup_seal_tick(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log);

/* the ledger */
char *ngx_http_sf_backup_ledger_add(ngx_conf_t *cf,
    ngx_http_sf_backup_audit_t *audit);
void ngx_http_sf_backup_ledger_take(ngx_http_sf_backup_audit_t *audit,
    ngx_log_t *log);
void ngx_http_sf_backup_ledger_started(ngx_http_sf_backup_audit_t *audit);
void ngx_http_sf_backup_ledger_wrote(ngx_http_sf_backup_audit_t *audit);
void ngx_http_sf_backup_ledger_claim(ngx_http_sf_backup_audit_t *audit,
    ngx_uint_t dead);
void ngx_http_sf_backup_ledger_end(ngx_http_sf_backup_audit_t *audit);


#endif /* NGX_HTTP_SF_BACKUP_AUDIT_H */
