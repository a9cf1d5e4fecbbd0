/*
 * sfb-profile: the pure core's work for one request, in functions that
 * scripts/bench.d/profile measures one at a time under
 * valgrind --tool=callgrind --collect-atstart=no --toggle-collect=<one>.
 *
 *   sfb-profile            run every measured function SFB_PROFILE_CALLS
 *                          times (after one warm-up call each, uncollected)
 *   sfb-profile --show     print what the cases decide and produce, and how
 *                          many allocations jansson makes for each step
 *
 * The seed's request: POST /Partitions/<id>/$/EnableBackup
 * ?api-version=6.2-preview, Content-Type: application/json, body
 * {"BackupPolicyName":"DailyAzureBackupPolicy"} (allowed), or
 * "WeeklyBackupPolicy" (denied), under the demo's rules.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sfb_audit.h"
#include "sfb_fabric_error.h"
#include "sfb_types.h"
#include "sfb_gate.h"
#include "sfb_message.h"
#include "sfb_json.h"
#include "sfb_seal.h"


#define SFB_PROFILE_CALLS    100
#define SFB_PROFILE_SCRATCH  4096
#define SFB_PROFILE_MESSAGE  1024

#define SFB_PROFILE_NOINLINE  __attribute__((noinline))


typedef struct {
    const char          *name;
    sfb_request_t        req;
    sfb_decision_t       d;
    sfb_reason_e         reason;
    unsigned char        scratch[SFB_PROFILE_SCRATCH];
    char                 message[SFB_PROFILE_MESSAGE];
    unsigned char        answer[SFB_PROFILE_MESSAGE];
    size_t               answer_len;
    unsigned char        line[SFB_AUDIT_LINE_MAX];
    size_t               line_len;
} sfb_profile_case_t;


void sfb_profile_decide_allowed(void);
void sfb_profile_decide_denied(void);
void sfb_profile_answer_denied(void);
void sfb_profile_audit_allowed(void);
void sfb_profile_audit_denied(void);
void sfb_profile_audit_sealed(void);
void sfb_profile_seal_epoch(void);

static void sfb_profile_init(void);
static void sfb_profile_case(sfb_profile_case_t *c, const char *name,
    const char *body);
static void sfb_profile_decide(sfb_profile_case_t *c);
static void sfb_profile_answer(sfb_profile_case_t *c);
static void sfb_profile_audit(sfb_profile_case_t *c);
static void sfb_profile_audit_in(sfb_profile_case_t *c,
    sfb_audit_chain_t *chain, int64_t time_ms);
static void sfb_profile_show(void);
static void *sfb_profile_malloc(size_t size);
static void sfb_profile_free(void *p);


static const sfb_str_t  sfb_profile_allowed_list[] = {
    sfb_str_lit("DailyAzureBackupPolicy"),
    sfb_str_lit("HourlyBackupPolicy")
};

static const unsigned char  sfb_profile_key[] =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static sfb_rules_t          sfb_profile_rules;
static sfb_audit_chain_t   *sfb_profile_chain;
static sfb_audit_chain_t   *sfb_profile_sealed;
static sfb_seal_t           sfb_profile_seal;
static int64_t              sfb_profile_time = INT64_C(1795570699123);
static char                 sfb_profile_state[64];
static int                  sfb_profile_state_fd = -1;
static sfb_profile_case_t   sfb_profile_allowed;
static sfb_profile_case_t   sfb_profile_denied;
static unsigned long        sfb_profile_allocs;
static unsigned long        sfb_profile_heap;
static json_malloc_t        sfb_profile_inner_malloc;
static json_free_t          sfb_profile_inner_free;


int
main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--show") != 0)) {
        fprintf(stderr, "usage: sfb-profile [--show]\n");
        return 2;
    }

    /* jansson's memory as the module has it (init_process) */
    sfb_json_scratch_install();

    if (argc == 2) {
        /* counting wrappers around those: never in the measured runs */
        json_get_alloc_funcs(&sfb_profile_inner_malloc,
                             &sfb_profile_inner_free);
        json_set_alloc_funcs(sfb_profile_malloc, sfb_profile_free);
    }

    sfb_profile_init();

    if (argc == 2) {
        sfb_profile_show();
        return 0;
    }

    /* warm up (jansson seeds its hash on first use), uncollected */
    sfb_profile_decide(&sfb_profile_allowed);
    sfb_profile_decide(&sfb_profile_denied);
    sfb_profile_answer(&sfb_profile_denied);
    sfb_profile_audit(&sfb_profile_allowed);
    sfb_profile_audit(&sfb_profile_denied);

    sfb_profile_decide_allowed();
    sfb_profile_decide_denied();
    sfb_profile_answer_denied();
    sfb_profile_audit_allowed();
    sfb_profile_audit_denied();

    sfb_profile_audit_in(&sfb_profile_allowed, sfb_profile_sealed,
                         sfb_profile_time);
    sfb_profile_audit_sealed();
    sfb_profile_seal_epoch();

    (void) close(sfb_profile_state_fd);
    (void) unlink(sfb_profile_state);
    *strrchr(sfb_profile_state, '/') = '\0';
    (void) rmdir(sfb_profile_state);

    return 0;
}


/* the measured functions: each runs one step SFB_PROFILE_CALLS times */

SFB_PROFILE_NOINLINE void
sfb_profile_decide_allowed(void)
{
    int  i;

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        sfb_profile_decide(&sfb_profile_allowed);
    }
}


SFB_PROFILE_NOINLINE void
sfb_profile_decide_denied(void)
{
    int  i;

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        sfb_profile_decide(&sfb_profile_denied);
    }
}


SFB_PROFILE_NOINLINE void
sfb_profile_answer_denied(void)
{
    int  i;

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        sfb_profile_answer(&sfb_profile_denied);
    }
}


SFB_PROFILE_NOINLINE void
sfb_profile_audit_allowed(void)
{
    int  i;

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        sfb_profile_audit(&sfb_profile_allowed);
    }
}


SFB_PROFILE_NOINLINE void
sfb_profile_audit_denied(void)
{
    int  i;

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        sfb_profile_audit(&sfb_profile_denied);
    }
}


/* a sealed record in the same epoch as the one before: the chain's key is
 * the epoch's, nothing moves */
SFB_PROFILE_NOINLINE void
sfb_profile_audit_sealed(void)
{
    int  i;

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        (void) sfb_seal_tick(&sfb_profile_seal, sfb_profile_sealed,
                             sfb_profile_time);
        sfb_profile_audit_in(&sfb_profile_allowed, sfb_profile_sealed,
                             sfb_profile_time);
    }
}


/* every record in a new epoch: the key moved on (the old one erased), the
 * chain re-keyed, the state file's slots rewritten in place (userspace
 * only: callgrind does not count the kernel's pwrite and fsync), then the
 * record */
SFB_PROFILE_NOINLINE void
sfb_profile_seal_epoch(void)
{
    int   i;
    char  err[256];

    for (i = 0; i < SFB_PROFILE_CALLS; i++) {
        sfb_profile_time += 1000;

        if (sfb_seal_tick(&sfb_profile_seal, sfb_profile_sealed,
                          sfb_profile_time)
            != 1
            || sfb_seal_state_write(sfb_profile_state_fd, &sfb_profile_seal,
                                    err, sizeof(err))
               != 0)
        {
            fprintf(stderr, "sfb-profile: the epoch did not move\n");
            exit(1);
        }

        sfb_profile_audit_in(&sfb_profile_allowed, sfb_profile_sealed,
                             sfb_profile_time);
    }
}


static void
sfb_profile_init(void)
{
    char        err[256];
    sfb_seal_t  cur;

    sfb_rules_init(&sfb_profile_rules);

    sfb_profile_case(&sfb_profile_allowed, "allowed",
                     "{\"BackupPolicyName\":\"DailyAzureBackupPolicy\"}");
    sfb_profile_case(&sfb_profile_denied, "denied",
                     "{\"BackupPolicyName\":\"WeeklyBackupPolicy\"}");

    sfb_profile_chain = sfb_audit_chain_create(sfb_profile_key,
                                               sizeof(sfb_profile_key) - 1);
    if (sfb_profile_chain == NULL
        || sfb_audit_chain_start(sfb_profile_chain) != 0)
    {
        fprintf(stderr, "sfb-profile: cannot set up the audit chain\n");
        exit(1);
    }

    /* sealing with epochs of 1 s from the records' time */

    strcpy(sfb_profile_state, "/tmp/sfb-profile.XXXXXX");

    if (mkdtemp(sfb_profile_state) == NULL
        || sfb_seal_setup(&sfb_profile_seal, sfb_profile_time / 1000, 1) != 0
        || (strcat(sfb_profile_state, "/state"),
            sfb_seal_state_create(sfb_profile_state, &sfb_profile_seal, err,
                                  sizeof(err)))
           != 0
        || sfb_seal_state_open(sfb_profile_state, &sfb_profile_state_fd, &cur,
                               err, sizeof(err))
           != 0
        || (sfb_profile_sealed = sfb_seal_chain_create(&sfb_profile_seal))
           == NULL
        || sfb_audit_chain_start(sfb_profile_sealed) != 0)
    {
        fprintf(stderr, "sfb-profile: cannot set up sealing\n");
        exit(1);
    }

    sfb_seal_clear(&cur);
}


static void
sfb_profile_case(sfb_profile_case_t *c, const char *name, const char *body)
{
    static const char  uri[] =
        "/Partitions/1daae3f5-7fd6-42e9-b1ba-8c05f873994d/$/EnableBackup";
    static const char  args[] = "api-version=6.2-preview";
    static const char  ct[] = "application/json";

    memset(c, 0, sizeof(sfb_profile_case_t));

    c->name = name;
    c->req.method.data = (const unsigned char *) "POST";
    c->req.method.len = 4;
    c->req.uri.data = (const unsigned char *) uri;
    c->req.uri.len = sizeof(uri) - 1;
    c->req.args.data = (const unsigned char *) args;
    c->req.args.len = sizeof(args) - 1;
    c->req.content_type.data = (const unsigned char *) ct;
    c->req.content_type.len = sizeof(ct) - 1;
    c->req.content_type_count = 1;
    c->req.body.data = (const unsigned char *) body;
    c->req.body.len = strlen(body);
    c->req.allowed = sfb_profile_allowed_list;
    c->req.n_allowed = sizeof(sfb_profile_allowed_list) / sizeof(sfb_str_t);

    if (sfb_decide_scratch_size(&sfb_profile_rules, &c->req)
        > SFB_PROFILE_SCRATCH)
    {
        fprintf(stderr, "sfb-profile: scratch too small\n");
        exit(1);
    }
}


/* parse, decide and (when allowed) canonicalise: what the access phase does */
static void
sfb_profile_decide(sfb_profile_case_t *c)
{
    c->reason = sfb_decide(&sfb_profile_rules, &c->req, &c->d, c->scratch,
                           sizeof(c->scratch));
}


/* the FabricError a denied request gets */
static void
sfb_profile_answer(sfb_profile_case_t *c)
{
    const sfb_reason_info_t  *info;

    info = sfb_reason_info(c->reason);

    (void) sfb_describe(c->reason, &c->d, &sfb_profile_rules, c->message,
                        sizeof(c->message));
    c->answer_len = sfb_fabric_error_build(info->code,
                                           (const unsigned char *) c->message,
                                           strlen(c->message), c->answer,
                                           sizeof(c->answer));
}


/* the outcome record, chained: what the log phase does */
static void
sfb_profile_audit(sfb_profile_case_t *c)
{
    sfb_profile_audit_in(c, sfb_profile_chain, INT64_C(1795570699123));
}


static void
sfb_profile_audit_in(sfb_profile_case_t *c, sfb_audit_chain_t *chain,
    int64_t time_ms)
{
    const char          *s;
    sfb_audit_record_t   rec;

    memset(&rec, 0, sizeof(sfb_audit_record_t));

    rec.time_ms = time_ms;
    rec.request_id.data = (const unsigned char *)
                          "7f3a9c2e5b1d4f608a7e3c9b2d1f0e4a";
    rec.request_id.len = 32;
    rec.client.data = (const unsigned char *) "127.0.0.1";
    rec.client.len = 9;
    rec.method = c->req.method;
    rec.uri = c->req.uri;
    s = sfb_entity_name(c->d.target.entity);
    rec.entity.data = (const unsigned char *) s;
    rec.entity.len = strlen(s);
    rec.entity_id.data = c->d.target.id;
    rec.entity_id.len = c->d.target.id_len;
    rec.policy.data = c->d.body.policy;
    rec.policy.len = c->d.body.policy_len;
    rec.api_version = c->d.query.api_version;
    rec.has_timeout = c->d.query.has_timeout;
    rec.timeout = c->d.query.timeout;
    s = c->reason == SFB_REASON_ALLOWED ? "allow" : "deny";
    rec.decision.data = (const unsigned char *) s;
    rec.decision.len = strlen(s);
    s = sfb_reason_name(c->reason);
    rec.reason.data = (const unsigned char *) s;
    rec.reason.len = strlen(s);
    rec.status = c->reason == SFB_REASON_ALLOWED ? 202 : 403;
    if (c->reason == SFB_REASON_ALLOWED) {
        rec.upstream_status.data = (const unsigned char *) "202";
        rec.upstream_status.len = 3;
        rec.upstream_addr.data = (const unsigned char *) "127.0.0.1:19081";
        rec.upstream_addr.len = 15;
    }
    rec.duration_ms = 1;
    rec.phase.data = (const unsigned char *) "outcome";
    rec.phase.len = 7;

    c->line_len = sfb_audit_format(chain, &rec, c->line, sizeof(c->line));
}


static void
sfb_profile_show(void)
{
    int                  i;
    unsigned long        before[3], heap[3];
    sfb_profile_case_t  *c, *cases[2];

    cases[0] = &sfb_profile_allowed;
    cases[1] = &sfb_profile_denied;

    /* counted in the steady state, as the measured runs are */
    for (i = 0; i < 2; i++) {
        sfb_profile_decide(cases[i]);
        sfb_profile_answer(cases[i]);
        sfb_profile_audit(cases[i]);
    }

    for (i = 0; i < 2; i++) {
        c = cases[i];

        before[0] = sfb_profile_allocs;
        heap[0] = sfb_profile_heap;
        sfb_profile_decide(c);
        before[1] = sfb_profile_allocs;
        heap[1] = sfb_profile_heap;
        if (c->reason != SFB_REASON_ALLOWED) {
            sfb_profile_answer(c);
        }
        before[2] = sfb_profile_allocs;
        heap[2] = sfb_profile_heap;
        sfb_profile_audit(c);

        printf("%s: %s", c->name, sfb_reason_name(c->reason));
        if (c->reason == SFB_REASON_ALLOWED) {
            printf(", forwards %.*s?%.*s %.*s",
                   (int) c->d.canonical_path.len,
                   (const char *) c->d.canonical_path.data,
                   (int) c->d.canonical_query.len,
                   (const char *) c->d.canonical_query.data,
                   (int) c->d.canonical_body.len,
                   (const char *) c->d.canonical_body.data);
        } else {
            printf(", answers %.*s", (int) c->answer_len,
                   (const char *) c->answer);
        }
        printf("\n  jansson allocations (of them from the heap): %lu (%lu) "
               "deciding, %lu (%lu) answering, %lu (%lu) for the audit "
               "record\n",
               before[1] - before[0], heap[1] - heap[0],
               before[2] - before[1], heap[2] - heap[1],
               sfb_profile_allocs - before[2], sfb_profile_heap - heap[2]);
        printf("  audit line (%zu bytes): %.*s", c->line_len,
               (int) c->line_len, (const char *) c->line);
    }
}


/* every allocation jansson asks for, and those its scratch could not take */
static void *
sfb_profile_malloc(size_t size)
{
    void    *p;
    size_t   used;

    used = sfb_json_scratch_used();
    p = sfb_profile_inner_malloc(size);

    sfb_profile_allocs++;
    sfb_profile_heap += (sfb_json_scratch_used() == used);

    return p;
}


static void
sfb_profile_free(void *p)
{
    sfb_profile_inner_free(p);
}
