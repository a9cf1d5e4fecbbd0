/*
 * sf-backup-gate: the query string and Content-Type of a call
 * (sfb_query.c).
 */

#ifndef SFB_QUERY_H
#define SFB_QUERY_H

#include <stddef.h>

#include "sfb_types.h"


/* Validates the raw query string of EnableBackup; decoded values go into
 * buf (size >= len always suffices).  SFB_REASON_NONE when acceptable. */
sfb_reason_e sfb_parse_query(const sfb_rules_t *rules,
    const unsigned char *args, size_t len, sfb_query_t *q,
    unsigned char *buf, size_t size);

/* The same for the call route (its api-versions: sfb_route_api_versions())
 * that also takes the SFB_Q_* parameters in params, each at most once and
 * typed. */
sfb_reason_e sfb_parse_query_for(const sfb_rules_t *rules,
    const sfb_route_t *route, unsigned params, const unsigned char *args,
    size_t len, sfb_query_t *q, unsigned char *buf, size_t size);

/* The name of the parameter with bit index i ("BackupTimeout", ...). */
const char *sfb_query_param_name(size_t i);

/* The rule of the call's own parameter called name, as a refusal states it;
 * NULL for any other name. */
const char *sfb_query_param_rule(const unsigned char *name, size_t len);

/* Accepts "application/json" with at most "; charset=utf-8": NONE or
 * SFB_REASON_CONTENT_TYPE_UNSUPPORTED. */
sfb_reason_e sfb_check_content_type(const unsigned char *v, size_t len);

/* An ISO 8601 date-time as the REST reference writes it: 1 or 0. */
int sfb_date_time(const unsigned char *p, size_t n);

/* A time of day as .NET reads one into a DateTime: h:mm:ss or hh:mm:ss,
 * an optional fraction of 1 to 7 digits (a policy's RunTimes, whose
 * specification describes them so and whose 6.2 example sends "9:00:00"). */
int sfb_time_of_day(const unsigned char *p, size_t n);


#endif /* SFB_QUERY_H */
