/*
 * sf-backup-gate: the metrics zone served in Prometheus's text exposition
 * format 0.0.4 (sf_backup_metrics), read as the counters stand: every
 * worker adds to the same zone (ngx_http_sf_backup_metrics.c).
 */

#include "ngx_http_sf_backup_common.h"
#include "ngx_http_sf_backup_metrics_zone.h"


static u_char *ngx_http_sf_backup_metrics_label(u_char *p, u_char *last,
    u_char *value, size_t len);


ngx_int_t
ngx_http_sf_backup_metrics_handler(ngx_http_request_t *r)
{
    u_char                             *p;
    size_t                              size;
    ngx_int_t                           rc;
    ngx_buf_t                          *b;
    ngx_uint_t                          e, d, i, k, n, t, teams;
    ngx_chain_t                         out;
    ngx_atomic_uint_t                   v, cumulative;
    ngx_http_sf_backup_metrics_shm_t   *shm;
    ngx_http_sf_backup_metrics_team_t  *team;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    shm = ngx_http_sf_backup_metrics_shm();
    if (shm == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* one line per series at most 160 bytes, plus the HELP/TYPE lines */
    n = 0;

    for (e = 0; e < NGX_HTTP_SF_BACKUP_M_ENTITIES; e++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                n += shm->requests[e][d][i] != 0;
            }
        }
    }

    /* a team's line: its label escaped, at most twice as long */
    t = 0;
    teams = NGX_HTTP_SF_BACKUP_M_TEAM_FIRST + shm->teams_used;

    for (k = 0; k < teams; k++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                t += shm->teams[k].requests[d][i] != 0;
            }
        }
    }

    size = 4096 + 160 * (n + 10 + 2 * NGX_HTTP_SF_BACKUP_M_CODES
                         + NGX_HTTP_SF_BACKUP_M_BUCKETS
                         + SFB_OP__COUNT * NGX_HTTP_SF_BACKUP_M_DECISIONS)
           + (160 + 2 * NGX_HTTP_SF_BACKUP_M_TEAM_LEN) * t;

    b = ngx_create_temp_buf(r->pool, size);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = b->last;

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_requests_total Governed requests by entity, "
            "decision and reason.\n"
            "# TYPE sf_backup_requests_total counter\n");

    for (e = 0; e < NGX_HTTP_SF_BACKUP_M_ENTITIES; e++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                v = shm->requests[e][d][i];
                if (v == 0) {
                    continue;
                }

                p = ngx_slprintf(p, b->end,
                        "sf_backup_requests_total{entity=\"%s\","
                        "decision=\"%s\",reason=\"%s\"} %uA\n",
                        ngx_http_sf_backup_metrics_entities[e],
                        ngx_http_sf_backup_metrics_decisions[d],
                        sfb_reason_name((sfb_reason_e) i), v);
            }
        }
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_operation_requests_total Governed requests by "
            "operation (\"\": the path named no call) and decision.\n"
            "# TYPE sf_backup_operation_requests_total counter\n");

    for (i = 0; i < SFB_OP__COUNT; i++) {
        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            v = shm->operations[i][d];
            if (v == 0) {
                continue;
            }

            p = ngx_slprintf(p, b->end,
                    "sf_backup_operation_requests_total{operation=\"%s\","
                    "decision=\"%s\"} %uA\n",
                    sfb_operation_name((sfb_operation_e) i),
                    ngx_http_sf_backup_metrics_decisions[d], v);
        }
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_team_requests_total Governed requests by "
            "team (sf_backup_metrics_team), decision and reason.\n"
            "# TYPE sf_backup_team_requests_total counter\n");

    for (k = 0; k < teams; k++) {
        team = &shm->teams[k];

        for (d = 0; d < NGX_HTTP_SF_BACKUP_M_DECISIONS; d++) {
            for (i = 0; i < SFB_REASON__COUNT; i++) {
                v = team->requests[d][i];
                if (v == 0) {
                    continue;
                }

                p = ngx_slprintf(p, b->end,
                                 "sf_backup_team_requests_total{team=\"");

                if (k == NGX_HTTP_SF_BACKUP_M_TEAM_NONE) {
                    p = ngx_slprintf(p, b->end, "none");

                } else if (k == NGX_HTTP_SF_BACKUP_M_TEAM_OTHER) {
                    p = ngx_slprintf(p, b->end, "other");

                } else {
                    p = ngx_http_sf_backup_metrics_label(p, b->end,
                                                         team->name,
                                                         team->len);
                }

                p = ngx_slprintf(p, b->end,
                        "\",decision=\"%s\",reason=\"%s\"} %uA\n",
                        ngx_http_sf_backup_metrics_decisions[d],
                        sfb_reason_name((sfb_reason_e) i), v);
            }
        }
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_upstream_responses_total Upstream answers "
            "by status class.\n"
            "# TYPE sf_backup_upstream_responses_total counter\n");

    for (i = 1; i < 6; i++) {
        p = ngx_slprintf(p, b->end,
                "sf_backup_upstream_responses_total{class=\"%uixx\"} %uA\n",
                i, shm->upstream[i]);
    }

    p = ngx_slprintf(p, b->end,
            "sf_backup_upstream_responses_total{class=\"none\"} %uA\n",
            shm->upstream[0]);

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_fabric_error_rewrites_total Error answers "
            "of the cluster, or of nginx, rewritten into a FabricError, "
            "by Code.\n"
            "# TYPE sf_backup_fabric_error_rewrites_total counter\n");

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_CODES; i++) {
        p = ngx_slprintf(p, b->end,
                "sf_backup_fabric_error_rewrites_total{code=\"%s\"} %uA\n",
                ngx_http_sf_backup_metrics_codes[i], shm->rewrites[i]);
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_gate_fabric_errors_total FabricError answers "
            "the gate made itself (its refusals and its own failures), "
            "by Code.\n"
            "# TYPE sf_backup_gate_fabric_errors_total counter\n");

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_CODES; i++) {
        p = ngx_slprintf(p, b->end,
                "sf_backup_gate_fabric_errors_total{code=\"%s\"} %uA\n",
                ngx_http_sf_backup_metrics_codes[i], shm->answers[i]);
    }

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_audit_records_total Audit records written.\n"
            "# TYPE sf_backup_audit_records_total counter\n"
            "sf_backup_audit_records_total %uA\n"
            "# HELP sf_backup_audit_write_failures_total Audit records "
            "that could not be written.\n"
            "# TYPE sf_backup_audit_write_failures_total counter\n"
            "sf_backup_audit_write_failures_total %uA\n"
            "# HELP sf_backup_seal_state_save_failures_total Times the seal "
            "state file could not be moved on to a new epoch.\n"
            "# TYPE sf_backup_seal_state_save_failures_total counter\n"
            "sf_backup_seal_state_save_failures_total %uA\n",
            shm->audit_written, shm->audit_failed, shm->seal_save_failed);

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_scope_cache_total Partition calls under team "
            "scope, by where the partition's service came from.\n"
            "# TYPE sf_backup_scope_cache_total counter\n"
            "sf_backup_scope_cache_total{result=\"hit\"} %uA\n"
            "sf_backup_scope_cache_total{result=\"miss\"} %uA\n"
            "# HELP sf_backup_scope_lookup_failures_total GetServiceName "
            "lookups that did not give a service.\n"
            "# TYPE sf_backup_scope_lookup_failures_total counter\n"
            "sf_backup_scope_lookup_failures_total"
            "{reason=\"partition_not_found\"} %uA\n"
            "sf_backup_scope_lookup_failures_total"
            "{reason=\"scope_unresolved\"} %uA\n",
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_HIT],
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_MISS],
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_NOT_FOUND],
            shm->scope[NGX_HTTP_SF_BACKUP_M_SCOPE_FAILED]);

    p = ngx_slprintf(p, b->end,
            "# HELP sf_backup_upstream_latency_seconds Upstream response "
            "time of governed calls.\n"
            "# TYPE sf_backup_upstream_latency_seconds histogram\n");

    cumulative = 0;

    for (i = 0; i < NGX_HTTP_SF_BACKUP_M_BUCKETS; i++) {
        cumulative += shm->latency[i];
        p = ngx_slprintf(p, b->end,
                "sf_backup_upstream_latency_seconds_bucket{le=\"%s\"} %uA\n",
                ngx_http_sf_backup_metrics_le[i], cumulative);
    }

    v = shm->latency_sum_ms;

    p = ngx_slprintf(p, b->end,
            "sf_backup_upstream_latency_seconds_sum %uA.%03uA\n"
            "sf_backup_upstream_latency_seconds_count %uA\n",
            v / 1000, v % 1000, shm->latency_count);

    b->last = p;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = b->last - b->pos;
    ngx_str_set(&r->headers_out.content_type, "text/plain; version=0.0.4");
    r->headers_out.content_type_len = sizeof("text/plain") - 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* a label value as the exposition format wants it: \ and " escaped */
static u_char *
ngx_http_sf_backup_metrics_label(u_char *p, u_char *last, u_char *value,
    size_t len)
{
    size_t  i;

    for (i = 0; i < len && p + 2 <= last; i++) {
        if (value[i] == '\\' || value[i] == '"') {
            *p++ = '\\';
        }

        *p++ = value[i];
    }

    return p;
}
