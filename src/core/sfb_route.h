/*
 * sf-backup-gate: the calls of the surface (sfb_route.c: sfb_routes[], one
 * row per call), their methods, parameters and operations.
 */

#ifndef SFB_ROUTE_H
#define SFB_ROUTE_H

#include <stddef.h>

#include "sfb_types.h"


/* The stable name of an operation ("enable", ..., "storage"); "" for NONE. */
const char *sfb_operation_name(sfb_operation_e op);

/* The operation called name (len bytes), or SFB_OP_NONE. */
sfb_operation_e sfb_operation_by_name(const unsigned char *name, size_t len);

/* The i-th row of the table, from 0; NULL past the last. */
const sfb_route_t *sfb_route_at(size_t i);

/* The route of a call that does EnableBackup (the seed's call). */
const sfb_route_t *sfb_route_enable(void);

/* Whether the method (e.g. "POST") is the route's; NULL route: POST. */
int sfb_method_allowed(const sfb_route_t *route, const unsigned char *method,
    size_t len);

/* "GET" or "POST": what the route takes (an Allow header's value). */
const char *sfb_route_method(const sfb_route_t *route);

/* The SFB_Q_* parameters the route takes at this entity level. */
unsigned sfb_route_params(const sfb_route_t *route, sfb_entity_e entity);

/* The api-version values a call accepts: the operator's list
 * (rules->api_versions), or the ones Service Fabric declares for it; a NULL
 * route is EnableBackup's. */
const sfb_str_t *sfb_route_api_versions(const sfb_rules_t *rules,
    const sfb_route_t *route, size_t *n);

/* Whether the route's body may not be empty (and so needs JSON). */
int sfb_body_required(const sfb_route_t *route);


/* "Partitions", "Services", "Applications" */
const char *sfb_entity_path_name(sfb_entity_e entity);


#endif /* SFB_ROUTE_H */
