/*
 * sf-backup-gate: a record's time, RFC 3339 UTC with milliseconds
 * (sfb_audit_time.c): the writer's "time", and the verifier's when it
 * names one.
 */

#ifndef SFB_AUDIT_TIME_H
#define SFB_AUDIT_TIME_H

#include <stddef.h>
#include <stdint.h>


#define SFB_AUDIT_TIME_MS_MAX   INT64_C(253402300799999)
#define SFB_AUDIT_TIME_LEN      (sizeof("2026-11-25T01:38:19.123Z") - 1)

/* ms (Unix time) as "2026-11-25T01:38:19.123Z", SFB_AUDIT_TIME_LEN bytes
 * into out, no NUL; times before 1970 or after 9999 are held to those
 * bounds.  Returns SFB_AUDIT_TIME_LEN. */
size_t sfb_audit_time(int64_t ms, char *out);


#endif /* SFB_AUDIT_TIME_H */
