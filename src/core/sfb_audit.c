/*
 * sf-backup-gate: audit records and their HMAC chain (the writer's side).
 *
 * Runs on every governed request, so the line is written straight into the
 * caller's buffer in one pass and MACed with a context keyed once per
 * worker.  The line is jansson's: it is byte for byte what json_dumpb()
 * prints for the record as a JSON object (JSON_COMPACT | JSON_ENSURE_ASCII,
 * members in order).  Every string that needs escaping, or is not valid
 * UTF-8, or is too long, is printed by jansson itself; the rest (the names,
 * numbers, hex, and values of printable ASCII without '"' or '\\') print as
 * their own bytes between quotes, which is what jansson prints for them.
 * t/unit/test_audit.c and fuzz_audit_line hold every line equal to
 * json_dumpb() of the same object.  The record layout is described in
 * sfb_audit.h; the verifier (sfb_audit_parse.c) reads it back.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "sfb_audit.h"
#include "sfb_fabric_error.h"
#include "sfb_hex.h"
#include "sfb_json.h"


/* ASCII only: U+2028 and friends cannot split a line for any reader */
#define SFB_AUDIT_JSON_FLAGS  (JSON_COMPACT | JSON_ENSURE_ASCII)

#define SFB_AUDIT_MAC_HEAD      ",\"mac\":\""
#define SFB_AUDIT_MAC_HEAD_LEN  (sizeof(SFB_AUDIT_MAC_HEAD) - 1)


struct sfb_audit_chain_s {
    EVP_MAC_CTX  *mac;
    int           started;
    int           link;         /* seq 1 carries prev_chain and prev_seq */
    int           can_rewind;
    int           marked;       /* saved_* hold a mark, not the last step */
    int           saved_link;
    int           saved_retire;
    uint64_t      seq;          /* of the last record formatted */
    uint64_t      saved_seq;
    uint64_t      link_seq;
    int64_t       epoch;        /* sealed: the key's epoch; -1: plain key */
    char          id[2 * SFB_AUDIT_CHAIN_ID_LEN + 1];
    char          link_id[2 * SFB_AUDIT_CHAIN_ID_LEN];
    char          prev[2 * SFB_AUDIT_MAC_LEN];
    char          saved_prev[2 * SFB_AUDIT_MAC_LEN];
    char          key_id[SFB_AUDIT_KEY_ID_HEX + 1];

    /* a retirement, carried by the next record (sfb_audit.h) */
    int           retire;
    size_t        nretiring;
    char          retired[SFB_AUDIT_KEY_ID_HEX];
    char          retiring[SFB_AUDIT_RETIRING_MAX][2 * SFB_AUDIT_CHAIN_ID_LEN];
};


/* the line being written: bytes go in only while they fit */
typedef struct {
    unsigned char  *out;
    size_t          size;
    size_t          len;        /* of the whole line, fitting or not */
    int             failed;     /* jansson could not print a value */
} sfb_audit_out_t;


static void sfb_audit_body(sfb_audit_out_t *o, const sfb_audit_chain_t *c,
    const sfb_audit_record_t *r);
static void sfb_audit_retirement(sfb_audit_out_t *o,
    const sfb_audit_chain_t *c);
static void sfb_audit_put(sfb_audit_out_t *o, const void *data, size_t n);
static void sfb_audit_put_str(sfb_audit_out_t *o, const sfb_str_t *s,
    size_t max);
static void sfb_audit_put_int(sfb_audit_out_t *o, int64_t v);
static int sfb_audit_hmac(EVP_MAC_CTX *ctx, const unsigned char *p,
    size_t len, const unsigned char *tail, size_t tail_len,
    unsigned char *mac);
static EVP_MAC_CTX *sfb_audit_mac_new(const unsigned char *key,
    size_t key_len);




sfb_audit_chain_t *
sfb_audit_chain_create(const unsigned char *key, size_t key_len)
{
    sfb_audit_chain_t  *c;

    if (key == NULL || key_len == 0) {
        return NULL;
    }

    c = calloc(1, sizeof(sfb_audit_chain_t));
    if (c == NULL) {
        return NULL;
    }

    c->epoch = -1;

    if (sfb_audit_key_id(key, key_len, c->key_id) != 0) {
        free(c);
        return NULL;
    }

    c->mac = sfb_audit_mac_new(key, key_len);

    if (c->mac == NULL) {
        free(c);
        return NULL;
    }

    return c;
}


int
sfb_audit_chain_rekey(sfb_audit_chain_t *c, const char *key_id,
    int64_t epoch, const unsigned char *key, size_t key_len)
{
    EVP_MAC_CTX  *mac;

    mac = sfb_audit_mac_new(key, key_len);
    if (mac == NULL) {
        return -1;
    }

    /* freeing the context erases the old key's pads (OpenSSL cleanses) */

    EVP_MAC_CTX_free(c->mac);
    c->mac = mac;
    c->epoch = epoch;

    if (key_id != NULL) {
        memcpy(c->key_id, key_id, SFB_AUDIT_KEY_ID_HEX);
        c->key_id[SFB_AUDIT_KEY_ID_HEX] = '\0';
    }

    return 0;
}


/* An HMAC-SHA256 context keyed once: each record then re-inits it with a
 * NULL key, which reuses the precomputed inner and outer pads. */

static EVP_MAC_CTX *
sfb_audit_mac_new(const unsigned char *key, size_t key_len)
{
    char          digest[] = "SHA256";
    EVP_MAC      *mac;
    OSSL_PARAM    params[2];
    EVP_MAC_CTX  *ctx;

    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) {
        return NULL;
    }

    /* the context holds its own reference to the algorithm */

    ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);

    if (ctx == NULL) {
        return NULL;
    }

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                 digest, 0);
    params[1] = OSSL_PARAM_construct_end();

    if (EVP_MAC_init(ctx, key, key_len, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }

    return ctx;
}


int
sfb_audit_key_id(const unsigned char *key, size_t key_len, char *out)
{
    int            rc;
    unsigned int   n;
    EVP_MD_CTX    *md;
    unsigned char  digest[EVP_MAX_MD_SIZE];

    static const char  domain[] = SFB_AUDIT_KEY_ID_DOMAIN;

    md = EVP_MD_CTX_new();
    if (md == NULL) {
        return -1;
    }

    /* the domain (NUL included) keeps this hash apart from any other use
     * of the key; only a prefix of it is shown */

    rc = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1
         && EVP_DigestUpdate(md, domain, sizeof(domain)) == 1
         && EVP_DigestUpdate(md, key, key_len) == 1
         && EVP_DigestFinal_ex(md, digest, &n) == 1
         && n >= SFB_AUDIT_KEY_ID_HEX / 2;

    EVP_MD_CTX_free(md);

    if (!rc) {
        return -1;
    }

    (void) sfb_hex_encode(out, digest, SFB_AUDIT_KEY_ID_HEX / 2);
    out[SFB_AUDIT_KEY_ID_HEX] = '\0';

    OPENSSL_cleanse(digest, sizeof(digest));

    return 0;
}


const char *
sfb_audit_chain_key_id(const sfb_audit_chain_t *c)
{
    return c->key_id;
}


int
sfb_audit_chain_start(sfb_audit_chain_t *c)
{
    unsigned char  rnd[SFB_AUDIT_CHAIN_ID_LEN];

    if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
        /* keep seq and id: a later start still links to that chain */
        c->started = 0;
        return -1;
    }

    /* a chain that wrote nothing is invisible: keep linking past it */

    if (c->seq > 0) {
        c->link = 1;
        c->link_seq = c->seq;
        memcpy(c->link_id, c->id, sizeof(c->link_id));
    }

    (void) sfb_hex_encode(c->id, rnd, sizeof(rnd));
    c->id[sizeof(c->id) - 1] = '\0';

    c->seq = 0;
    c->started = 1;
    c->can_rewind = 0;
    c->marked = 0;

    return 0;
}


int
sfb_audit_chain_link(sfb_audit_chain_t *c, const char *id, uint64_t seq)
{
    if (c->link || seq == 0
        || sfb_hex_decode((const unsigned char *) id,
                          2 * SFB_AUDIT_CHAIN_ID_LEN, NULL) != 0)
    {
        return -1;
    }

    memcpy(c->link_id, id, sizeof(c->link_id));
    c->link_seq = seq;
    c->link = 1;

    return 0;
}


int
sfb_audit_chain_linking(const sfb_audit_chain_t *c)
{
    return c->link;
}


int
sfb_audit_chain_retire(sfb_audit_chain_t *c, const char *key_id)
{
    if (sfb_hex_decode((const unsigned char *) key_id, SFB_AUDIT_KEY_ID_HEX,
                       NULL) != 0
        || memcmp(key_id, c->key_id, SFB_AUDIT_KEY_ID_HEX) == 0)
    {
        return -1;
    }

    memcpy(c->retired, key_id, sizeof(c->retired));
    c->nretiring = 0;
    c->retire = 1;

    return 0;
}


int
sfb_audit_chain_retiring_chain(sfb_audit_chain_t *c, const char *id)
{
    if (!c->retire || c->nretiring == SFB_AUDIT_RETIRING_MAX
        || sfb_hex_decode((const unsigned char *) id,
                          2 * SFB_AUDIT_CHAIN_ID_LEN, NULL) != 0)
    {
        return -1;
    }

    memcpy(c->retiring[c->nretiring++], id, 2 * SFB_AUDIT_CHAIN_ID_LEN);

    return 0;
}


int
sfb_audit_chain_retiring(const sfb_audit_chain_t *c)
{
    return c->retire;
}


int
sfb_audit_chain_mark(sfb_audit_chain_t *c)
{
    if (c == NULL || !c->started) {
        return -1;
    }

    c->saved_seq = c->seq;
    c->saved_link = c->link;
    c->saved_retire = c->retire;
    memcpy(c->saved_prev, c->prev, sizeof(c->prev));
    c->can_rewind = 1;
    c->marked = 1;

    return 0;
}


int
sfb_audit_chain_rewind(sfb_audit_chain_t *c)
{
    if (c == NULL || !c->can_rewind) {
        return -1;
    }

    c->seq = c->saved_seq;
    c->link = c->saved_link;
    c->retire = c->saved_retire;
    memcpy(c->prev, c->saved_prev, sizeof(c->prev));
    c->can_rewind = 0;
    c->marked = 0;

    return 0;
}


const char *
sfb_audit_chain_id(const sfb_audit_chain_t *c)
{
    return c->id;
}


uint64_t
sfb_audit_chain_seq(const sfb_audit_chain_t *c)
{
    return c->seq;
}


void
sfb_audit_chain_destroy(sfb_audit_chain_t *c)
{
    if (c == NULL) {
        return;
    }

    EVP_MAC_CTX_free(c->mac);
    OPENSSL_cleanse(c, sizeof(sfb_audit_chain_t));
    free(c);
}


size_t
sfb_audit_format(sfb_audit_chain_t *c, const sfb_audit_record_t *r,
    unsigned char *out, size_t size)
{
    char             *p;
    size_t            n, need;
    unsigned char     mac[SFB_AUDIT_MAC_LEN];
    sfb_audit_out_t   o;

    if (c != NULL && !c->started) {
        return 0;
    }

    o.out = out;
    o.size = (out != NULL) ? size : 0;
    o.len = 0;
    o.failed = 0;

    sfb_audit_body(&o, c, r);

    if (o.failed) {
        return 0;
    }

    n = o.len;

    if (c == NULL) {
        need = n + 1;

        if (need <= size) {
            out[n] = '\n';
        }

        return need;
    }

    /* B's closing "}" gives way to the mac suffix */

    need = n - 1 + SFB_AUDIT_MAC_SUFFIX_LEN + 1;

    if (need > size) {
        return need;
    }

    if (sfb_audit_hmac(c->mac, out, n, NULL, 0, mac) != 0) {
        return 0;
    }

    p = (char *) out + n - 1;

    memcpy(p, SFB_AUDIT_MAC_HEAD, SFB_AUDIT_MAC_HEAD_LEN);
    p += SFB_AUDIT_MAC_HEAD_LEN;

    /* a mark stays put: rewind then undoes every record since */

    if (!c->marked) {
        c->saved_seq = c->seq;
        c->saved_link = c->link;
        c->saved_retire = c->retire;
        memcpy(c->saved_prev, c->prev, sizeof(c->prev));
    }

    c->can_rewind = 1;

    p = sfb_hex_encode(p, mac, sizeof(mac));
    memcpy(c->prev, p - sizeof(c->prev), sizeof(c->prev));

    *p++ = '"';
    *p++ = '}';
    *p = '\n';

    c->seq++;
    c->link = 0;
    c->retire = 0;

    return need;
}


int
sfb_audit_line_mac(sfb_audit_chain_t *c, const unsigned char *line,
    size_t len, unsigned char *mac)
{
    if (len <= SFB_AUDIT_MAC_SUFFIX_LEN) {
        return -1;
    }

    return sfb_audit_hmac(c->mac, line, len - SFB_AUDIT_MAC_SUFFIX_LEN,
                          (const unsigned char *) "}", 1, mac);
}


#define sfb_audit_lit(o, s)  sfb_audit_put(o, s, sizeof(s) - 1)

/* a string member: its name (with what goes before it), then its value */
#define sfb_audit_member(o, name, s, max)                                     \
    do {                                                                      \
        sfb_audit_lit(o, name);                                               \
        sfb_audit_put_str(o, s, max);                                         \
    } while (0)

#define sfb_audit_value(o, name, s)                                           \
    sfb_audit_member(o, name, s, SFB_AUDIT_VALUE_MAX)


/* B: the record as a JSON object, members in the order of sfb_audit.h */

static void
sfb_audit_body(sfb_audit_out_t *o, const sfb_audit_chain_t *c,
    const sfb_audit_record_t *r)
{
    char  tm[SFB_AUDIT_TIME_LEN];

    sfb_audit_lit(o, "{\"time\":\"");
    sfb_audit_put(o, tm, sfb_audit_time(r->time_ms, tm));
    sfb_audit_value(o, "\",\"request_id\":", &r->request_id);
    sfb_audit_value(o, ",\"client\":", &r->client);
    sfb_audit_member(o, ",\"identity\":", &r->identity,
                     SFB_AUDIT_IDENTITY_MAX);
    sfb_audit_value(o, ",\"method\":", &r->method);
    sfb_audit_member(o, ",\"uri\":", &r->uri, SFB_AUDIT_URI_MAX);
    sfb_audit_value(o, ",\"entity\":", &r->entity);
    sfb_audit_value(o, ",\"entity_id\":", &r->entity_id);

    /* only when team scope named it: records without scope stay as they
     * were */
    if (r->entity_name.len != 0) {
        sfb_audit_value(o, ",\"entity_name\":", &r->entity_name);
    }

    sfb_audit_value(o, ",\"operation\":", &r->operation);
    sfb_audit_value(o, ",\"policy\":", &r->policy);
    sfb_audit_value(o, ",\"storage\":", &r->storage);

    /* a restore's source: whose data it reads (since 0.4) */
    if (r->backup_id.len != 0) {
        sfb_audit_value(o, ",\"backup_id\":", &r->backup_id);
    }

    if (r->backup_location.len != 0) {
        sfb_audit_member(o, ",\"backup_location\":", &r->backup_location,
                         SFB_AUDIT_URI_MAX);
    }
    sfb_audit_value(o, ",\"api_version\":", &r->api_version);
    sfb_audit_lit(o, ",\"timeout\":");

    if (r->has_timeout) {
        sfb_audit_put_int(o, r->timeout > (uint64_t) INT64_MAX
                             ? INT64_MAX : (int64_t) r->timeout);

    } else {
        sfb_audit_lit(o, "null");
    }

    sfb_audit_value(o, ",\"decision\":", &r->decision);
    sfb_audit_value(o, ",\"reason\":", &r->reason);
    sfb_audit_lit(o, ",\"status\":");
    sfb_audit_put_int(o, r->status);
    sfb_audit_lit(o, ",\"upstream_status\":");

    if (r->upstream_status.len != 0) {
        sfb_audit_put_str(o, &r->upstream_status, SFB_AUDIT_VALUE_MAX);

    } else {
        sfb_audit_lit(o, "null");
    }

    sfb_audit_lit(o, ",\"upstream_addr\":");

    if (r->upstream_addr.len != 0) {
        sfb_audit_put_str(o, &r->upstream_addr, SFB_AUDIT_VALUE_MAX);

    } else {
        sfb_audit_lit(o, "null");
    }

    sfb_audit_lit(o, ",\"duration_ms\":");
    sfb_audit_put_int(o, r->duration_ms);
    sfb_audit_value(o, ",\"phase\":", &r->phase);
    sfb_audit_value(o, ",\"node\":", &r->node);

    if (c != NULL) {
        /* hex digits, made here */
        sfb_audit_lit(o, ",\"key_id\":\"");
        sfb_audit_put(o, c->key_id, SFB_AUDIT_KEY_ID_HEX);

        if (c->epoch >= 0) {
            sfb_audit_lit(o, "\",\"epoch\":");
            sfb_audit_put_int(o, c->epoch);
            sfb_audit_lit(o, ",\"chain\":\"");

        } else {
            sfb_audit_lit(o, "\",\"chain\":\"");
        }

        sfb_audit_put(o, c->id, sizeof(c->id) - 1);
        sfb_audit_lit(o, "\",\"seq\":");
        sfb_audit_put_int(o, (int64_t) c->seq + 1);
        sfb_audit_lit(o, ",\"prev\":\"");
        sfb_audit_put(o, c->prev, c->seq ? sizeof(c->prev) : 0);
        sfb_audit_lit(o, "\"");

        if (c->link) {
            sfb_audit_lit(o, ",\"prev_chain\":\"");
            sfb_audit_put(o, c->link_id, sizeof(c->link_id));
            sfb_audit_lit(o, "\",\"prev_seq\":");
            sfb_audit_put_int(o, (int64_t) c->link_seq);
        }

        if (c->retire) {
            sfb_audit_retirement(o, c);
        }
    }

    sfb_audit_lit(o, "}");
}


/* ,"retires":"<key_id>","retiring_chains":["<id>",...] */

static void
sfb_audit_retirement(sfb_audit_out_t *o, const sfb_audit_chain_t *c)
{
    size_t  i;

    sfb_audit_lit(o, ",\"retires\":\"");
    sfb_audit_put(o, c->retired, sizeof(c->retired));
    sfb_audit_lit(o, "\",\"retiring_chains\":[");

    for (i = 0; i < c->nretiring; i++) {
        if (i > 0) {
            sfb_audit_lit(o, ",");
        }

        sfb_audit_lit(o, "\"");
        sfb_audit_put(o, c->retiring[i], sizeof(c->retiring[i]));
        sfb_audit_lit(o, "\"");
    }

    sfb_audit_lit(o, "]");
}


static void
sfb_audit_put(sfb_audit_out_t *o, const void *data, size_t n)
{
    /* n 0: data may be NULL (an empty request value) */
    if (n != 0 && o->len <= o->size && n <= o->size - o->len) {
        memcpy(o->out + o->len, data, n);
    }

    o->len += n;
}


/*
 * A request value as a JSON string, bounded and made valid UTF-8.  Printable
 * ASCII other than '"' and '\\' is printed by jansson as it is, between
 * quotes (no JSON_ESCAPE_SLASH): that common case is copied here; anything
 * else jansson prints.
 */
static void
sfb_audit_put_str(sfb_audit_out_t *o, const sfb_str_t *s, size_t max)
{
    size_t                n, room;
    json_t               *v;
    unsigned char         buf[SFB_AUDIT_URI_MAX];
    const unsigned char  *p;

    p = s->data;
    n = s->len;

    if (n <= max && sfb_json_plain(p, n)) {
        sfb_audit_lit(o, "\"");
        sfb_audit_put(o, p, n);
        sfb_audit_lit(o, "\"");
        return;
    }

    if (n > max || !sfb_utf8_valid(p, n)) {
        n = sfb_utf8_sanitize(p, n, buf, max, NULL);
        p = buf;
    }

    v = json_stringn_nocheck((const char *) p, n);
    if (v == NULL) {
        o->failed = 1;
        return;
    }

    room = (o->len <= o->size) ? o->size - o->len : 0;

    n = json_dumpb(v, room ? (char *) o->out + o->len : NULL, room,
                   SFB_AUDIT_JSON_FLAGS | JSON_ENCODE_ANY);

    json_decref(v);

    if (n == 0) {
        o->failed = 1;
        return;
    }

    /* what did not fit is counted all the same */
    o->len += n;
}


/* as jansson prints a json_integer ("%lld") */
static void
sfb_audit_put_int(sfb_audit_out_t *o, int64_t v)
{
    char      buf[24], *p;
    uint64_t  u;

    p = buf + sizeof(buf);
    u = (v < 0) ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;

    do {
        *--p = (char) ('0' + u % 10);
        u /= 10;
    } while (u);

    if (v < 0) {
        *--p = '-';
    }

    sfb_audit_put(o, p, (size_t) (buf + sizeof(buf) - p));
}


static int
sfb_audit_hmac(EVP_MAC_CTX *ctx, const unsigned char *p, size_t len,
    const unsigned char *tail, size_t tail_len, unsigned char *mac)
{
    size_t  n;

    /* NULL key: restart with the key given at creation */

    if (EVP_MAC_init(ctx, NULL, 0, NULL) != 1
        || EVP_MAC_update(ctx, p, len) != 1
        || (tail_len > 0 && EVP_MAC_update(ctx, tail, tail_len) != 1)
        || EVP_MAC_final(ctx, mac, &n, SFB_AUDIT_MAC_LEN) != 1
        || n != SFB_AUDIT_MAC_LEN)
    {
        return -1;
    }

    return 0;
}


