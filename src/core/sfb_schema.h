/*
 * sf-backup-gate: the bodies of the other calls, checked against their
 * schema and written anew (sfb_schema.c, tables in sfb_schema_tables.c).
 */

#ifndef SFB_SCHEMA_H
#define SFB_SCHEMA_H

#include <stddef.h>

#include <jansson.h>

#include "sfb_types.h"


/* The body of a call of kind: validated against its schema and written in
 * canonical form (jansson, members in schema order) into buf, which needs
 * SFB_CANONICAL_JSON_MAX(len) bytes; EnableBackup's as sfb_parse_body().
 * detail never quotes a value of the body, only member names. */
sfb_reason_e sfb_parse_body_for(const sfb_rules_t *rules,
    sfb_body_kind_e kind, const unsigned char *body, size_t len,
    sfb_body_t *b, unsigned char *buf, size_t size, char *detail,
    size_t detail_size);

#define SFB_CANONICAL_JSON_MAX(len)  (3 * (len) + 64)


#endif /* SFB_SCHEMA_H */
