/*
 * sf-backup-gate: the nginx glue's shared declarations.
 *
 * ngx_http_sf_backup_gate_module.c  directives, configuration, init
 * ngx_http_sf_backup_request.c      a request's state across redirects:
 *                                   noted at post-read and rewrite, found
 *                                   by every later phase, settled at log
 * ngx_http_sf_backup_conf.c         directive setters, whole-block checks
 * ngx_http_sf_backup_access.c       the gate (precontent phase): read the
 *                                   body, decide, canonicalise, forward
 * ngx_http_sf_backup_scope.c        team scope: the check, the partition
 *                                   lookup (subrequest), its directives
 * ngx_http_sf_backup_scope_cache.c  the lookups' shared cache
 * ngx_http_sf_backup_data.c         what a call carries: storages, owned
 *                                   policies, a restore's source
 * ngx_http_sf_backup_door.c         the lookup's own location: internal
 *                                   (nginx -t), refused to outsiders
 * ngx_http_sf_backup_canonical.c    what an allowed call is forwarded as,
 *                                   less the headers no client may send
 * ngx_http_sf_backup_filter.c       header/body filters: FabricError answers
 * ngx_http_sf_backup_log.c          log phase: the audit record (the
 *                                   audit files share
 *                                   ngx_http_sf_backup_audit.h)
 * ngx_http_sf_backup_variables.c    $sf_backup_* variables
 */

#ifndef NGX_HTTP_SF_BACKUP_COMMON_H
#define NGX_HTTP_SF_BACKUP_COMMON_H


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "sfb_core.h"
#include "sfb_types.h"
#include "sfb_storage.h"
#include "sfb_path.h"
#include "sfb_route.h"
#include "sfb_query.h"
#include "sfb_body.h"
#include "sfb_schema.h"
#include "sfb_mask.h"
#include "sfb_canonical.h"
#include "sfb_message.h"
#include "sfb_gate.h"
#include "sfb_json.h"
#include "sfb_fabric_error.h"
#include "sfb_audit.h"
#include "sfb_seal.h"
#include "sfb_random.h"


#define NGX_HTTP_SF_BACKUP_OFF          0
#define NGX_HTTP_SF_BACKUP_ON           1
#define NGX_HTTP_SF_BACKUP_REPORT_ONLY  2

/* how a block's audit log is sealed (loc conf's audit_keyed) */
#define NGX_HTTP_SF_BACKUP_KEYED        1   /* sf_backup_audit_key */
#define NGX_HTTP_SF_BACKUP_SEALED       2   /* sf_backup_audit_seal */


typedef enum {
    NGX_HTTP_SF_BACKUP_DECISION_NONE = 0,
    NGX_HTTP_SF_BACKUP_DECISION_ALLOW,
    NGX_HTTP_SF_BACKUP_DECISION_DENY,
    NGX_HTTP_SF_BACKUP_DECISION_REPORT
} ngx_http_sf_backup_decision_e;


/* a size directive's bounds, in bytes; high 0: none */
typedef struct {
    ngx_conf_post_handler_pt        post_handler;
    size_t                          low;
    size_t                          high;
} ngx_http_sf_backup_size_bounds_t;


/* Where a directive was: for mistakes seen only once every block is read. */
typedef struct {
    ngx_str_t                       file;
    ngx_uint_t                      line;       /* 0: not set */
} ngx_http_sf_backup_conf_at_t;


/* One audit destination (its members: ngx_http_sf_backup_audit.h). */
typedef struct ngx_http_sf_backup_audit_s  ngx_http_sf_backup_audit_t;


typedef struct ngx_http_sf_backup_loc_conf_s  ngx_http_sf_backup_loc_conf_t;


/* a server whose gate asks the cluster through the location at a prefix */
typedef struct {
    ngx_http_core_srv_conf_t       *cscf;
    ngx_http_sf_backup_loc_conf_t  *slcf;       /* scope_resolve, its place */
    ngx_msec_t                     *lookup_time;    /* found at
                                                       postconfiguration */
} ngx_http_sf_backup_resolver_t;


typedef struct {
    ngx_array_t                     audits;     /* of audit_t *, by name */
    ngx_array_t                     resolvers;  /* of resolver_t */

    /* configuration checks at postconfiguration */
    ngx_array_t                     audit_blocks;   /* of loc_conf_t * */
    ngx_http_sf_backup_conf_at_t    gate_at;        /* first gate on */
    ngx_flag_t                      policies_set;   /* anywhere */
    ngx_str_t                       node;       /* "": the host name */
    ngx_msec_t                      heartbeat;  /* 0: off */
} ngx_http_sf_backup_main_conf_t;


/* A list directive's value: names fixed at configuration, or a variable's
 * value per request (a space- or comma-separated list, as a map gives) */
typedef struct {
    ngx_array_t                    *fixed;      /* of sfb_str_t */
    ngx_http_complex_value_t       *cv;
} ngx_http_sf_backup_names_t;

/* checks one name of such a directive and gives what is kept of it */
typedef ngx_int_t (*ngx_http_sf_backup_name_check_pt)(ngx_conf_t *cf,
    ngx_str_t *name, sfb_str_t *kept);

/* cmd->post of ngx_http_sf_backup_names() */
typedef struct {
    ngx_http_sf_backup_name_check_pt  check;
} ngx_http_sf_backup_names_post_t;


typedef struct {
    /*
     * The location whose gate and audit log take a governed call nginx
     * refused before it chose a location (or before the phases ran): the
     * server level's when the gate is on there, or else the first location
     * with the gate on (one with an audit log first).  NULL: no gate here.
     */
    ngx_http_sf_backup_loc_conf_t  *gate_conf;
} ngx_http_sf_backup_srv_conf_t;


struct ngx_http_sf_backup_loc_conf_s {
    ngx_uint_t                      gate;
    ngx_array_t                    *api_versions;     /* of sfb_str_t */
    ngx_str_t                       upstream_api_version;
    uint64_t                        timeout_min;
    uint64_t                        timeout_max;
    size_t                          max_body;
    ngx_array_t                    *policies;         /* of sfb_str_t */
    ngx_http_complex_value_t       *policies_cv;
    ngx_uint_t                      operations;       /* SFB_OP_BIT()s */
    ngx_http_complex_value_t       *operations_cv;
    ngx_http_complex_value_t       *identity;
    ngx_flag_t                      backup_restore;
    ngx_flag_t                      fabric_errors;
    ngx_flag_t                      fabric_errors_on;   /* in effect */
    size_t                          fabric_error_buffer;

    ngx_http_sf_backup_audit_t     *audit;            /* NULL: off */
    ngx_flag_t                      audit_fail_closed;
    ngx_http_sf_backup_conf_at_t    audit_fail_closed_at;
    ngx_http_sf_backup_conf_at_t    audit_at;         /* set in this block */
    ngx_uint_t                      audit_keyed;      /* key in this block:
                                                         KEYED or SEALED */

    /* team scope (_scope.c) */
    ngx_array_t                    *scope;            /* of sfb_str_t */
    ngx_http_complex_value_t       *scope_cv;
    ngx_http_sf_backup_conf_at_t    scope_at;
    ngx_str_t                       scope_resolve;    /* location prefix */
    ngx_shm_zone_t                 *scope_zone;       /* NULL: no cache */
    time_t                          scope_valid;
    ngx_http_sf_backup_conf_at_t    scope_resolve_at;
    ngx_msec_t                     *scope_lookup_time;    /* what a lookup
                                                             may take, its
                                                             resolver's */

    /* what a call carries (_data.c) */
    ngx_http_sf_backup_names_t      storages;         /* storage keys */
    ngx_http_sf_backup_names_t      policies_owned;
    ngx_flag_t                      passthrough;
    ngx_uint_t                      resolve_location; /* the lookup's own */

    sfb_rules_t                     rules;            /* built at merge */
};


/* where a request is in finding its partition's service */
typedef enum {
    NGX_HTTP_SF_BACKUP_SCOPE_NONE = 0,
    NGX_HTTP_SF_BACKUP_SCOPE_WAITING,       /* on another's lookup */
    NGX_HTTP_SF_BACKUP_SCOPE_LOOKING,       /* our subrequest runs */
    NGX_HTTP_SF_BACKUP_SCOPE_KNOWN          /* name or scope_reason */
} ngx_http_sf_backup_scope_e;


typedef struct {
    ngx_http_sf_backup_loc_conf_t  *conf;       /* location that decided */

    /* what the core was given, and what it parsed and decided
     * (sfb_decide_run()); points into the request pool */
    sfb_request_t                   req;
    sfb_target_t                    noted_target;   /* matched at post-read */
    sfb_decision_t                  d;
    ngx_http_sf_backup_decision_e   decision;

    ngx_str_t                       uri;            /* as received */
    ngx_str_t                       detail;         /* FabricError Message */

    ngx_msec_t                      start_msec;
    time_t                          start_sec;

    ngx_int_t                       rc;             /* phase result */
    ngx_uint_t                      status;         /* own answer, if any */
    ngx_uint_t                      final_status;   /* what the client got */
    ngx_str_t                       noted_uri;      /* r->uri at post-read */

    /* team scope */
    ngx_str_t                       entity_name;    /* "" if not known */
    ngx_str_t                       scope_id;       /* partition looked up */
    ngx_uint_t                      scope_seq;      /* its cache entry's */
    ngx_msec_t                      scope_delay;    /* next wait */
    ngx_msec_t                      scope_waited;   /* since: first wait */
    ngx_http_sf_backup_scope_e      scope_state;
    sfb_reason_e                    scope_reason;   /* NONE: in scope */

    /* filter state */
    ngx_str_t                       upstream_body;  /* bounded copy */
    size_t                          upstream_body_cap;

    unsigned                        noted:1;        /* at post-read */
    unsigned                        located:1;      /* conf: its location */
    unsigned                        started:1;      /* the gate ran */
    unsigned                        settled:1;      /* final_status, reason */
    unsigned                        governed:1;
    unsigned                        decided:1;
    unsigned                        body_started:1;
    unsigned                        body_done:1;
    unsigned                        buffering:1;
    unsigned                        rewritten:1;
    unsigned                        masking:1;      /* a policy read held */
    unsigned                        unmasked:1;     /* ... and not sent */
    unsigned                        upstream_overflow:1;
    unsigned                        audited:1;
    unsigned                        scope_owner:1;  /* took the lookup */
    unsigned                        scope_cleanup:1;
    unsigned                        source_pending:1;   /* the body's
                                                           partition */
} ngx_http_sf_backup_ctx_t;


extern ngx_module_t  ngx_http_sf_backup_gate_module;


/* configuration */
void ngx_http_sf_backup_conf_at(ngx_conf_t *cf,
    ngx_http_sf_backup_conf_at_t *at);

/* directive setters and whole-block checks (conf) */
char *ngx_http_sf_backup_api_versions(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_upstream_api_version(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
char *ngx_http_sf_backup_timeout(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_policies(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_identity(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_operations(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_check_size(ngx_conf_t *cf, void *post, void *data);
char *ngx_http_sf_backup_names(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_names_set(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_array_t **fixed, ngx_http_complex_value_t **cv,
    ngx_http_sf_backup_name_check_pt check);
void ngx_http_sf_backup_merge_list(ngx_array_t **fixed,
    ngx_http_complex_value_t **cv, ngx_array_t *prev_fixed,
    ngx_http_complex_value_t *prev_cv);
ngx_http_complex_value_t *ngx_http_sf_backup_list_variable(ngx_conf_t *cf,
    ngx_str_t *value);
ngx_int_t ngx_http_sf_backup_check_audit_files(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf);
ngx_int_t ngx_http_sf_backup_check_audit_keys(ngx_conf_t *cf,
    ngx_http_sf_backup_main_conf_t *smcf);

/* request */
ngx_int_t ngx_http_sf_backup_request_init(ngx_conf_t *cf);
void ngx_http_sf_backup_note_gate_location(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *slcf);
ngx_http_sf_backup_ctx_t *ngx_http_sf_backup_get_ctx(ngx_http_request_t *r);
ngx_http_sf_backup_ctx_t *ngx_http_sf_backup_create_ctx(ngx_http_request_t *r);
ngx_uint_t ngx_http_sf_backup_error_redirect(ngx_http_request_t *r);
sfb_reason_e ngx_http_sf_backup_refusal_reason(ngx_http_request_t *r,
    ngx_uint_t status);
ngx_http_sf_backup_ctx_t *ngx_http_sf_backup_settle(ngx_http_request_t *r);
void ngx_http_sf_backup_upstreams(ngx_http_request_t *r, ngx_str_t *addr,
    ngx_str_t *status);
const char *ngx_http_sf_backup_entity(ngx_http_sf_backup_ctx_t *ctx);
sfb_operation_e ngx_http_sf_backup_operation(ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_body_bytes(ngx_http_request_t *r, size_t max,
    ngx_str_t *body);

/* access */
ngx_int_t ngx_http_sf_backup_access_handler(ngx_http_request_t *r);

/* canonical: what an allowed call is forwarded as */
ngx_int_t ngx_http_sf_backup_canonicalise(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_strip_headers(ngx_http_request_t *r);

/* scope */
ngx_int_t ngx_http_sf_backup_scope_check(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_scope_body(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_scope_covers(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, u_char *name, size_t len);
void ngx_http_sf_backup_scope_report(ngx_http_sf_backup_ctx_t *ctx);
char *ngx_http_sf_backup_scope(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_scope_resolve(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_scope_cache(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_scope_merge(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *prev, ngx_http_sf_backup_loc_conf_t *conf);

ngx_int_t ngx_http_sf_backup_scope_resolve_id(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);

/* data: what a call carries */
ngx_int_t ngx_http_sf_backup_storage_entry(ngx_conf_t *cf, ngx_str_t *name,
    sfb_str_t *kept);
char *ngx_http_sf_backup_data_merge(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *prev, ngx_http_sf_backup_loc_conf_t *conf);
void ngx_http_sf_backup_data_name(ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_data_head(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_data_body(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
ngx_int_t ngx_http_sf_backup_data_source(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf, ngx_http_sf_backup_ctx_t *ctx);
ngx_uint_t ngx_http_sf_backup_data_filters(ngx_http_sf_backup_ctx_t *ctx);
char *ngx_http_sf_backup_data_filter(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, u_char *in, size_t len, size_t *out_len);

/* door: the lookup's own location */
char *ngx_http_sf_backup_door_merge(ngx_conf_t *cf,
    ngx_http_sf_backup_loc_conf_t *conf);
ngx_int_t ngx_http_sf_backup_check_resolve(ngx_conf_t *cf);
ngx_int_t ngx_http_sf_backup_door(ngx_http_request_t *r,
    ngx_http_sf_backup_loc_conf_t *slcf);

/* scope cache: what cache_find() says a request does next */
typedef enum {
    NGX_HTTP_SF_BACKUP_SCOPE_HIT = 0,       /* ctx->entity_name set */
    NGX_HTTP_SF_BACKUP_SCOPE_ASK,           /* ours to look up */
    NGX_HTTP_SF_BACKUP_SCOPE_WAIT,          /* another request asks */
    NGX_HTTP_SF_BACKUP_SCOPE_SHARED_FAILURE /* the lookup waited for failed:
                                               ctx->scope_reason */
} ngx_http_sf_backup_scope_find_e;

ngx_http_sf_backup_scope_find_e ngx_http_sf_backup_scope_cache_find(
    ngx_http_request_t *r, ngx_http_sf_backup_loc_conf_t *slcf,
    ngx_http_sf_backup_ctx_t *ctx);
void ngx_http_sf_backup_scope_cache_store(ngx_shm_zone_t *zone,
    ngx_str_t *id, ngx_uint_t seq, sfb_reason_e failure, ngx_str_t *name,
    time_t valid);
void ngx_http_sf_backup_scope_cache_abandon(ngx_shm_zone_t *zone,
    ngx_str_t *id, ngx_uint_t seq);
ngx_int_t ngx_http_sf_backup_scope_cache_init_process(ngx_cycle_t *cycle);

/* filter */
ngx_int_t ngx_http_sf_backup_filter_init(ngx_conf_t *cf);

/* answer: FabricError bodies and the request id */
ngx_int_t ngx_http_sf_backup_answer_init(ngx_conf_t *cf);
ngx_int_t ngx_http_sf_backup_error_body(ngx_http_request_t *r,
    const char *code, ngx_str_t *message, ngx_uint_t append_id,
    ngx_buf_t **out);
ngx_int_t ngx_http_sf_backup_set_json_headers(ngx_http_request_t *r,
    size_t len);
ngx_int_t ngx_http_sf_backup_add_request_id(ngx_http_request_t *r);
ngx_int_t ngx_http_sf_backup_send_error(ngx_http_request_t *r,
    ngx_uint_t status, const char *code, ngx_str_t *message);
ngx_int_t ngx_http_sf_backup_request_id(ngx_http_request_t *r, ngx_str_t *id);
void ngx_http_sf_backup_request_id_init_process(void);

/* log */
ngx_int_t ngx_http_sf_backup_log_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_sf_backup_audit_record(ngx_http_request_t *r,
    ngx_http_sf_backup_ctx_t *ctx, ngx_uint_t pre_forward);
char *ngx_http_sf_backup_audit_log(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_audit_key(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_audit_seal(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_sf_backup_audit_fail_closed(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
ngx_int_t ngx_http_sf_backup_audit_init_module(ngx_cycle_t *cycle);
ngx_int_t ngx_http_sf_backup_audit_init_process(ngx_cycle_t *cycle);
void ngx_http_sf_backup_audit_exit_process(ngx_cycle_t *cycle);

/* variables */
ngx_int_t ngx_http_sf_backup_add_variables(ngx_conf_t *cf);

/* helpers */
const char *ngx_http_sf_backup_decision_name(
    ngx_http_sf_backup_decision_e decision);
ngx_str_t ngx_http_sf_backup_sfb_str(sfb_str_t s);


#endif /* NGX_HTTP_SF_BACKUP_COMMON_H */
