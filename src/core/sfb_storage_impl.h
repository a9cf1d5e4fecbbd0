/*
 * sf-backup-gate: what the storage files share among themselves (not part
 * of their API, which is in sfb_storage.h): the rules a storage's parts
 * must keep and the parsers built on them (sfb_storage_rules.c), used by
 * the storage keys (sfb_storage.c) and restore locations (sfb_location.c).
 */

#ifndef SFB_STORAGE_IMPL_H
#define SFB_STORAGE_IMPL_H

#include "sfb_bytes.h"
#include "sfb_message.h"


#define SFB_DNS_NAME_MAX       253
#define SFB_ACCOUNT_MAX        24

/* sfb_dns_rule() flags */
#define SFB_DNS_UPPER          1    /* letters in either case: a UNC server */
#define SFB_DNS_IP             2    /* an IPv4 address is a server too */


/* what is wrong, and where: "<subject>: segment 3 must not be empty" */
typedef struct {
    const char           *part;     /* "its host", "it"; NULL: the whole */
    size_t                segment;  /* 1-based; 0: none */
    const char           *rule;     /* "must ..." */
} sfb_fault_t;

typedef struct {
    int                   https;
    sfb_str_t             host;
    sfb_str_t             rest;     /* after the host: "", "/", "/c" */
} sfb_url_t;


/* sfb_storage_rules.c: a fault, said and set */
void sfb_fault_say(sfb_msg_t *w, const sfb_fault_t *f);
void sfb_fault(sfb_fault_t *f, const char *part, size_t segment,
    const char *rule);

/* sfb_storage_rules.c: NULL, or the rule broken ("must ...") */
const char *sfb_dns_rule(const unsigned char *p, size_t n, unsigned flags);
const char *sfb_account_rule(const unsigned char *p, size_t n);
const char *sfb_container_rule(const unsigned char *p, size_t n);
const char *sfb_location_rule(const unsigned char *p, size_t n);
const char *sfb_segment_rule(const unsigned char *p, size_t n);

/* sfb_storage_rules.c: 1, or 0 and f says why */
int sfb_url(const unsigned char *p, size_t n, sfb_url_t *u, sfb_fault_t *f);
int sfb_url_endpoint(const sfb_url_t *u, sfb_fault_t *f);
int sfb_share_path(const unsigned char *p, size_t n, unsigned char sep,
    sfb_fault_t *f);


#endif /* SFB_STORAGE_IMPL_H */
