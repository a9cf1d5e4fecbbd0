/*
 * Fuzz target: the audit verifier's line parser, sfb_audit_check_line() on
 * arbitrary bytes, and the writer it must agree with, sfb_audit_format().
 *
 * Input: a flags byte, then bytes used twice: cut at '\n' into the lines
 * of a log fed to a verifier keyed with SFB_FUZZ_AUDIT_KEY (the seeds hold
 * authentic logs), and cut at 0x1e into the string fields of a record.
 *
 * Invariants:
 *  - finish() is 0 or 1 and says 1 exactly when there is a problem; the
 *    problem is a known kind on a line that was fed, with a NUL-terminated
 *    detail; notes and summary are NUL-terminated;
 *  - a log judged clean has every line verified but its duplicates
 *    (byte-identical copies a redelivery makes, sfb_audit_dup.h), and,
 *    with none, stays clean when cut into two files given in reverse
 *    order;
 *  - records formatted by the writer (with and without a chain) are one
 *    ASCII line each, no control byte, JSON with the writer's members; the
 *    unchained line is byte for byte jansson's json_dumps() of the record
 *    (t/unit/sfb_audit_ref.h); the chained ones verify as a clean log;
 *  - any single-byte change to one of those lines makes the log fail, and
 *    the problem is reported on that line.
 */

#include <jansson.h>

#include "sfb_verify.h"
#include "sfb_fuzz.h"
#include "../unit/sfb_audit_ref.h"


#define FIELD_SEP     0x1e
#define LINES_MAX     4096
#define CHANGES       3

#define KEY           ((const unsigned char *) SFB_FUZZ_AUDIT_KEY)
#define KEY_LEN       (sizeof(SFB_FUZZ_AUDIT_KEY) - 1)


typedef struct {
    const unsigned char  *data[LINES_MAX];
    size_t                len[LINES_MAX];
    int                   newline[LINES_MAX];
    size_t                n;
} log_t;


static void cut_lines(const unsigned char *p, size_t size, log_t *log);
static int verify(const log_t *log, size_t split, int strict,
    sfb_audit_check_t **out);
static void check_verdict(sfb_audit_check_t *ck, int rc, const log_t *log);
static size_t verified(const sfb_audit_check_t *ck);
static void check_arbitrary(const unsigned char *p, size_t size, int strict);
static void record_from(const unsigned char *p, size_t size,
    sfb_audit_record_t *r);
static unsigned char *format(sfb_audit_chain_t *c,
    const sfb_audit_record_t *r, size_t *len);
static void check_shape(const unsigned char *line, size_t len, int chained);
static void check_jansson(const unsigned char *line, size_t len,
    const sfb_audit_record_t *r);
static void check_records(const unsigned char *p, size_t size, int restart);


static sfb_audit_chain_t  *writer;


int LLVMFuzzerInitialize(int *argc, char ***argv);


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;

    writer = sfb_audit_chain_create(KEY, KEY_LEN);

    if (writer == NULL || sfb_audit_chain_start(writer) != 0) {
        abort();
    }

    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }

    check_arbitrary(data + 1, size - 1, data[0] & 0x01);
    check_records(data + 1, size - 1, data[0] & 0x02);

    return 0;
}


/* like getline(): a last piece without '\n' is a line without newline */

static void
cut_lines(const unsigned char *p, size_t size, log_t *log)
{
    const unsigned char  *end, *nl;

    log->n = 0;
    end = p + size;

    while (p < end && log->n < LINES_MAX) {
        nl = memchr(p, '\n', (size_t) (end - p));

        log->data[log->n] = p;
        log->len[log->n] = (size_t) ((nl ? nl : end) - p);
        log->newline[log->n] = nl != NULL;
        log->n++;

        if (nl == NULL) {
            break;
        }

        p = nl + 1;
    }
}


/* lines [split, n) as file "b", then [0, split) as file "a"; each line in
 * its own exact heap block */

static int
verify(const log_t *log, size_t split, int strict, sfb_audit_check_t **out)
{
    int                 rc;
    size_t              i, k;
    unsigned char      *copy;
    sfb_audit_check_t  *ck;

    ck = sfb_audit_check_create(KEY, KEY_LEN, strict);
    SFB_FUZZ_CHECK(ck != NULL, "check_create failed");

    for (k = 0; k < 2; k++) {
        if ((k == 0 && split == log->n) || (k == 1 && split == 0)) {
            continue;
        }

        SFB_FUZZ_CHECK(sfb_audit_check_begin_file(ck, k == 0 ? "b" : "a")
                       == 0, "begin_file failed");

        for (i = (k == 0 ? split : 0); i < (k == 0 ? log->n : split); i++) {
            copy = sfb_fuzz_dup(log->data[i], log->len[i]);
            rc = sfb_audit_check_line(ck, copy, log->len[i],
                                      log->newline[i]);
            free(copy);

            SFB_FUZZ_CHECK(rc == 0, "check_line returned %d", rc);
        }
    }

    rc = sfb_audit_check_finish(ck);
    SFB_FUZZ_CHECK(rc == 0 || rc == 1, "finish returned %d", rc);
    SFB_FUZZ_CHECK(sfb_audit_check_finish(ck) == rc,
                   "a second finish changed its mind");

    *out = ck;

    return rc;
}


static void
check_verdict(sfb_audit_check_t *ck, int rc, const log_t *log)
{
    int                         n;
    char                        summary[256];
    size_t                      i;
    const char                 *note;
    const sfb_audit_problem_t  *pb;

    pb = sfb_audit_check_problem(ck);

    SFB_FUZZ_CHECK((rc == 1) == (pb != NULL), "finish %d, problem %p", rc,
                   (const void *) pb);

    if (pb != NULL) {
        SFB_FUZZ_CHECK(pb->kind > SFB_AUDIT_OK
                       && pb->kind <= SFB_AUDIT_REPLAYED
                       && strcmp(sfb_audit_problem_name(pb->kind),
                                 "unknown") != 0,
                       "problem kind %d", (int) pb->kind);
        SFB_FUZZ_CHECK(pb->line >= 1 && pb->line <= log->n,
                       "problem on line %llu of %zu",
                       (unsigned long long) pb->line, log->n);
        SFB_FUZZ_CHECK(pb->file != NULL
                       && memchr(pb->detail, '\0', sizeof(pb->detail))
                          != NULL && pb->detail[0] != '\0',
                       "problem without a file or a NUL-terminated detail");
    }

    for (i = 0; (note = sfb_audit_check_note(ck, i)) != NULL; i++) {
        SFB_FUZZ_CHECK(strlen(note) > 0, "empty note");
    }

    n = sfb_audit_check_summary(ck, summary, sizeof(summary));
    SFB_FUZZ_CHECK(n > 0 && (size_t) n < sizeof(summary)
                   && strncmp(summary, "OK: ", 4) == 0,
                   "summary '%s'", summary);
}


/* the N of "OK: ... chains, N records verified[, M duplicates ...]" */

static size_t
verified(const sfb_audit_check_t *ck)
{
    char        summary[256], *comma, *end;
    uint64_t    n;

    (void) sfb_audit_check_summary(ck, summary, sizeof(summary));

    comma = strstr(summary, " chain");
    comma = comma ? strchr(comma, ',') : NULL;
    SFB_FUZZ_CHECK(comma != NULL, "cannot read summary '%s'", summary);

    n = strtoull(comma + 1, &end, 10);
    SFB_FUZZ_CHECK(strncmp(end, " record", 7) == 0,
                   "cannot read summary '%s'", summary);

    return (size_t) n;
}


static void
check_arbitrary(const unsigned char *p, size_t size, int strict)
{
    int                 rc, rc2;
    size_t              i, count;
    log_t              *log;
    sfb_audit_check_t  *ck, *ck2;

    log = malloc(sizeof(log_t));
    if (log == NULL) {
        abort();
    }

    cut_lines(p, size, log);

    rc = verify(log, 0, strict, &ck);
    check_verdict(ck, rc, log);

    if (rc == 0) {
        count = verified(ck);

        for (i = 0; i < log->n; i++) {
            SFB_FUZZ_CHECK(log->newline[i], "a log with a last line "
                           "without newline is clean");
        }

        SFB_FUZZ_CHECK(count + sfb_audit_check_duplicates(ck) == log->n,
                       "a clean log of %zu lines has %zu verified records "
                       "and %llu duplicates", log->n, count,
                       (unsigned long long) sfb_audit_check_duplicates(ck));

        /* copies in two files are no longer duplicates: only without */

        if (log->n >= 2 && sfb_audit_check_duplicates(ck) == 0) {
            rc2 = verify(log, log->n / 2, strict, &ck2);

            SFB_FUZZ_CHECK(rc2 == 0 && verified(ck2) == count,
                           "a clean log cut into two files in reverse "
                           "order gives %d (%s)", rc2,
                           sfb_audit_check_problem(ck2)
                           ? sfb_audit_check_problem(ck2)->detail : "");
            sfb_audit_check_destroy(ck2);
        }
    }

    sfb_audit_check_destroy(ck);
    free(log);
}


/* string fields cut at 0x1e; numbers from the first bytes */

static void
record_from(const unsigned char *p, size_t size, sfb_audit_record_t *r)
{
    size_t     i, n;
    int64_t    num[5];
    sfb_str_t  f[15];

    memset(r, 0, sizeof(sfb_audit_record_t));
    memset(num, 0, sizeof(num));
    memcpy(num, p, size < sizeof(num) ? size : sizeof(num));

    n = sfb_fuzz_split(p, size, FIELD_SEP, f, 15);

    for (i = n; i < 15; i++) {
        f[i].data = NULL;
        f[i].len = 0;
    }

    r->time_ms = num[0];
    r->has_timeout = (num[1] & 1) != 0;
    r->timeout = (uint64_t) num[1];
    r->status = (int) num[2];
    r->duration_ms = num[3];

    r->request_id = f[0];
    r->client = f[1];
    r->identity = f[2];
    r->method = f[3];
    r->uri = f[4];
    r->entity = f[5];
    r->entity_id = f[6];
    r->policy = f[7];
    r->api_version = f[8];
    r->decision = f[9];
    r->reason = f[10];
    r->upstream_addr = f[11];
    r->phase = f[12];
    r->upstream_status = f[13];
    r->node = f[14];
}


/* one line into an exact heap block, the size asked for first */

static unsigned char *
format(sfb_audit_chain_t *c, const sfb_audit_record_t *r, size_t *len)
{
    size_t          need, n;
    uint64_t        seq;
    unsigned char  *out;

    seq = c ? sfb_audit_chain_seq(c) : 0;

    need = sfb_audit_format(c, r, NULL, 0);
    SFB_FUZZ_CHECK(need > 0 && need <= SFB_AUDIT_LINE_MAX,
                   "line of %zu bytes, SFB_AUDIT_LINE_MAX is %d", need,
                   SFB_AUDIT_LINE_MAX);
    SFB_FUZZ_CHECK(c == NULL || sfb_audit_chain_seq(c) == seq,
                   "sizing a line advanced the chain");

    out = sfb_fuzz_alloc(need);
    n = sfb_audit_format(c, r, out, need);

    SFB_FUZZ_CHECK(n == need, "format gave %zu, then %zu", need, n);
    SFB_FUZZ_CHECK(c == NULL || sfb_audit_chain_seq(c) == seq + 1,
                   "formatting did not advance the chain by one");

    *len = n;

    return out;
}


static void
check_shape(const unsigned char *line, size_t len, int chained)
{
    size_t        i;
    json_t       *o;
    json_error_t  err;

    SFB_FUZZ_CHECK(len > 1 && line[len - 1] == '\n', "line without its "
                   "newline");

    for (i = 0; i + 1 < len; i++) {
        SFB_FUZZ_CHECK(line[i] >= 0x20 && line[i] < 0x80,
                       "byte %zu of a line is 0x%02x", i, line[i]);
    }

    o = json_loadb((const char *) line, len - 1,
                   JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);

    SFB_FUZZ_CHECK(json_is_object(o), "a line is not a JSON object: %s",
                   err.text);
    SFB_FUZZ_CHECK(json_object_size(o) >= (chained ? 26u : 21u)
                   && json_object_size(o) <= (chained ? 28u : 21u),
                   "a line has %zu members", json_object_size(o));

    json_decref(o);
}


static void
check_jansson(const unsigned char *line, size_t len,
    const sfb_audit_record_t *r)
{
    char    *ref;
    json_t  *o;

    o = reference_object(r);
    ref = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

    SFB_FUZZ_CHECK(ref != NULL, "jansson could not print the record");
    SFB_FUZZ_CHECK(strlen(ref) == len - 1 && memcmp(ref, line, len - 1) == 0,
                   "the line is not jansson's:\n%.*s\njansson:\n%s",
                   (int) len, (const char *) line, ref);

    free(ref);
    json_decref(o);
}


static void
check_records(const unsigned char *p, size_t size, int restart)
{
    int                 rc;
    size_t              k, len, pos, which;
    log_t              *log;
    unsigned char      *plain, *line[2], old;
    sfb_audit_check_t  *ck;
    sfb_audit_record_t  r;

    record_from(p, size, &r);

    plain = format(NULL, &r, &len);
    check_shape(plain, len, 0);
    check_jansson(plain, len, &r);
    free(plain);

    if (restart) {
        SFB_FUZZ_CHECK(sfb_audit_chain_start(writer) == 0, "chain_start");
    }

    log = malloc(sizeof(log_t));
    if (log == NULL) {
        abort();
    }

    for (k = 0; k < 2; k++) {
        if (k == 1) {
            r.phase.data = (const unsigned char *) "outcome";
            r.phase.len = 7;
        }

        line[k] = format(writer, &r, &len);
        check_shape(line[k], len, 1);

        log->data[k] = line[k];
        log->len[k] = len - 1;
        log->newline[k] = 1;
    }

    log->n = 2;

    rc = verify(log, 0, 0, &ck);
    SFB_FUZZ_CHECK(rc == 0 && verified(ck) == 2,
                   "the writer's lines do not verify: %s",
                   sfb_audit_check_problem(ck)
                   ? sfb_audit_check_problem(ck)->detail : "");
    sfb_audit_check_destroy(ck);

    /* single-byte changes, places chosen by the input */
    for (k = 0; k < CHANGES; k++) {
        which = (size > k ? p[size - 1 - k] : k) & 1;
        pos = (size > 2 * k + 1
               ? (size_t) p[k] << 8 | p[size / 2 + k / 2]
               : 7919 * (k + 1)) % log->len[which];

        old = line[which][pos];
        line[which][pos] = (unsigned char) (old ^ (size > k + 3
                                                   ? (p[k + 3] | 1) : 0x20));

        rc = verify(log, 0, 0, &ck);

        SFB_FUZZ_CHECK(rc == 1 && sfb_audit_check_problem(ck)->line
                                  == which + 1,
                       "line %zu with byte %zu changed from 0x%02x to "
                       "0x%02x: finish %d, problem on line %llu (%s)",
                       which + 1, pos, old, line[which][pos], rc,
                       rc ? (unsigned long long)
                            sfb_audit_check_problem(ck)->line : 0ULL,
                       rc ? sfb_audit_check_problem(ck)->detail : "");

        sfb_audit_check_destroy(ck);
        line[which][pos] = old;
    }

    free(line[0]);
    free(line[1]);
    free(log);
}
