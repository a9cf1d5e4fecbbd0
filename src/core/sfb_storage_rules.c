/*
 * sf-backup-gate: the rules a storage's parts keep, and the parsers built
 * on them: DNS names, account, container and DSMS location names, Windows
 * path segments, endpoint URLs and share paths, each taken only in the form
 * on which every reader agrees (no userinfo, no escape, no trailing dot
 * Windows strips).  A refusal is the rule broken, as an sfb_fault_t that
 * never quotes the value.
 */

#include <string.h>

#include "sfb_storage_impl.h"


#define SFB_DNS_LABEL_MAX      63
#define SFB_ACCOUNT_MIN        3
#define SFB_CONTAINER_MIN      3
#define SFB_CONTAINER_MAX      63
#define SFB_DSMS_LOCATION_MAX  1024

#define SFB_BAD_PATH_CHARS     ":*?\"<>|%"


/* " must ...", ": its host must ...", ": segment 3 (the server) must ..." */
void
sfb_fault_say(sfb_msg_t *w, const sfb_fault_t *f)
{
    if (f->segment) {
        sfb_msg_str(w, ": segment ");
        sfb_msg_u64(w, f->segment);

        if (f->part != NULL) {
            sfb_msg_str(w, " (");
            sfb_msg_str(w, f->part);
            sfb_msg_str(w, ")");
        }

    } else if (f->part != NULL) {
        sfb_msg_str(w, ": ");
        sfb_msg_str(w, f->part);
    }

    sfb_msg_str(w, " ");
    sfb_msg_str(w, f->rule ? f->rule : "is invalid");
}


void
sfb_fault(sfb_fault_t *f, const char *part, size_t segment, const char *rule)
{
    f->part = part;
    f->segment = segment;
    f->rule = rule;
}


/*
 * A DNS name: dot-separated labels of letters, digits and '-', none empty
 * (no trailing dot: "x." and "x" would be one host), none beginning or
 * ending with '-'.  Lowercase unless SFB_DNS_UPPER; its last label begins
 * with a letter unless SFB_DNS_IP, which refuses every spelling of an IPv4
 * address (127.1, 0x7f.1, 2130706433) as resolvers read them.
 */
const char *
sfb_dns_rule(const unsigned char *p, size_t n, unsigned flags)
{
    size_t         i, label, last;
    unsigned char  c;

    if (n == 0) {
        return "must not be empty";
    }

    if (n > SFB_DNS_NAME_MAX) {
        return "must be at most 253 characters long";
    }

    label = 0;
    last = 0;

    for (i = 0; i <= n; i++) {
        c = (i < n) ? p[i] : '.';

        if (c == '.') {
            if (label == 0) {
                return "must not have an empty label";
            }

            if (p[i - 1] == '-') {
                return "must not have a label beginning or ending with '-'";
            }

            if (i < n) {
                label = 0;
                last = i + 1;
            }

            continue;
        }

        if (c >= 'A' && c <= 'Z') {
            if (!(flags & SFB_DNS_UPPER)) {
                return "must be lowercase";
            }

        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                     || c == '-'))
        {
            return "must be letters, digits, '-' and '.' only";
        }

        if (label == 0 && c == '-') {
            return "must not have a label beginning or ending with '-'";
        }

        if (++label > SFB_DNS_LABEL_MAX) {
            return "must have labels of at most 63 characters";
        }
    }

    if (!(flags & SFB_DNS_IP) && p[last] >= '0' && p[last] <= '9') {
        return "must not be an IP address (its last label must begin "
               "with a letter)";
    }

    return NULL;
}


/* Azure's rule for storage account names */
const char *
sfb_account_rule(const unsigned char *p, size_t n)
{
    size_t  i;

    if (n < SFB_ACCOUNT_MIN || n > SFB_ACCOUNT_MAX) {
        return "must be 3 to 24 lowercase letters and digits";
    }

    for (i = 0; i < n; i++) {
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9'))) {
            return "must be 3 to 24 lowercase letters and digits";
        }
    }

    return NULL;
}


/* Azure's rule for container names */
const char *
sfb_container_rule(const unsigned char *p, size_t n)
{
    size_t  i;

    if (n < SFB_CONTAINER_MIN || n > SFB_CONTAINER_MAX) {
        return "must be 3 to 63 characters long";
    }

    for (i = 0; i < n; i++) {
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9')
              || p[i] == '-'))
        {
            return "must be lowercase letters, digits and '-' only";
        }

        if (p[i] == '-' && i > 0 && p[i - 1] == '-') {
            return "must not contain \"--\"";
        }
    }

    if (p[0] == '-' || p[n - 1] == '-') {
        return "must begin and end with a letter or a digit";
    }

    return NULL;
}


/* a DSMS location: '#' ends it in a key */
const char *
sfb_location_rule(const unsigned char *p, size_t n)
{
    size_t  i;

    if (n == 0 || n > SFB_DSMS_LOCATION_MAX) {
        return "must be 1 to 1024 characters long";
    }

    for (i = 0; i < n; i++) {
        if (p[i] <= 0x20 || p[i] >= 0x7f || p[i] == '#') {
            return "must be printable ASCII without spaces or '#'";
        }
    }

    return NULL;
}


/* what a byte is in a path segment (sfb_segment_rule()): 0 allowed */
#define SFB_PATH_CONTROL  1     /* control or non-ASCII */
#define SFB_PATH_BAD      2     /* SFB_BAD_PATH_CHARS */

static unsigned char  sfb_path_chars[256];
static int            sfb_path_chars_ready;


static void
sfb_path_chars_init(void)
{
    int          c;
    const char  *b;

    for (c = 0; c < 256; c++) {
        sfb_path_chars[c] = (c < 0x20 || c >= 0x7f) ? SFB_PATH_CONTROL : 0;
    }

    for (b = SFB_BAD_PATH_CHARS; *b; b++) {
        sfb_path_chars[(unsigned char) *b] = SFB_PATH_BAD;
    }

    sfb_path_chars_ready = 1;
}


/*
 * One segment of a Windows path, as it must be to mean itself: Windows
 * strips a trailing '.' or space, resolves '.' and '..', reads ':' as a
 * drive or a stream and the wildcards as wildcards; '%' is refused because
 * some readers expand it.
 */
const char *
sfb_segment_rule(const unsigned char *p, size_t n)
{
    size_t  i;

    if (!sfb_path_chars_ready) {
        sfb_path_chars_init();
    }

    if (n == 0) {
        return "must not be empty";
    }

    if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
        return "must not be '.' or '..'";
    }

    for (i = 0; i < n; i++) {
        /* one table look-up a byte: a segment is walked on every restore */
        switch (sfb_path_chars[p[i]]) {

        case SFB_PATH_CONTROL:
            return "must not contain control or non-ASCII characters";

        case SFB_PATH_BAD:
            return "must not contain ':', '*', '?', '\"', '<', '>', '|' "
                   "or '%'";

        default:
            break;
        }
    }

    if (p[n - 1] == '.' || p[n - 1] == ' ') {
        return "must not end in '.' or a space";
    }

    return NULL;
}


/*
 * "https://<host>" or "http://<host>" and what follows: u->rest.  Only the
 * plain form, on which every URL reader agrees, is taken: no userinfo, no
 * port, no escape, no backslash (WHATWG reads it as '/'), no IP literal, a
 * lowercase DNS host; the scheme lowercase too.
 */
int
sfb_url(const unsigned char *p, size_t n, sfb_url_t *u, sfb_fault_t *f)
{
    size_t                i, k;
    const char           *rule;
    const unsigned char  *a;

    if (n >= 8 && memcmp(p, "https://", 8) == 0) {
        u->https = 1;
        i = 8;

    } else if (n >= 7 && memcmp(p, "http://", 7) == 0) {
        u->https = 0;
        i = 7;

    } else {
        sfb_fault(f, NULL, 0, "must begin with https:// or http:// "
                  "(lowercase)");
        return 0;
    }

    for (k = i; k < n; k++) {
        if (p[k] == '/' || p[k] == '?' || p[k] == '#' || p[k] == '\\') {
            break;
        }
    }

    a = p + i;
    u->host.data = a;
    u->host.len = k - i;
    u->rest.data = p + k;
    u->rest.len = n - k;

    if (memchr(a, '@', k - i) != NULL) {
        sfb_fault(f, NULL, 0, "must not carry user information ('@')");
        return 0;
    }

    if (memchr(a, '[', k - i) != NULL) {
        sfb_fault(f, NULL, 0, "must not be an IP address");
        return 0;
    }

    if (memchr(a, ':', k - i) != NULL) {
        sfb_fault(f, NULL, 0, "must not carry a port");
        return 0;
    }

    if (memchr(u->rest.data, '?', u->rest.len) != NULL) {
        sfb_fault(f, NULL, 0, "must not carry a query");
        return 0;
    }

    if (memchr(u->rest.data, '#', u->rest.len) != NULL) {
        sfb_fault(f, NULL, 0, "must not carry a fragment");
        return 0;
    }

    if (memchr(p, '%', n) != NULL) {
        sfb_fault(f, NULL, 0, "must not contain '%' escapes");
        return 0;
    }

    if (memchr(p, '\\', n) != NULL) {
        sfb_fault(f, NULL, 0, "must not contain '\\'");
        return 0;
    }

    rule = sfb_dns_rule(u->host.data, u->host.len, 0);
    if (rule != NULL) {
        sfb_fault(f, "its host", 0, rule);
        return 0;
    }

    return 1;
}


/* an endpoint: the host, and at most a '/' after it */
int
sfb_url_endpoint(const sfb_url_t *u, sfb_fault_t *f)
{
    if (u->rest.len == 0 || (u->rest.len == 1 && u->rest.data[0] == '/')) {
        return 1;
    }

    sfb_fault(f, NULL, 0, "must have no path: http(s)://<host>[/]");

    return 0;
}


/*
 * "server<sep>share[<sep>dir...]" (after "\\\\" or "file://"): the same
 * rules whichever the separator, so that a path and its entry give one key.
 * The other separator is refused: Windows reads '/' as '\\', and an entry's
 * segment cannot hold the path's separator.
 */
int
sfb_share_path(const unsigned char *p, size_t n, unsigned char sep,
    sfb_fault_t *f)
{
    size_t                i, seg;
    const char           *rule;
    const unsigned char  *e;

    if (memchr(p, sep == '\\' ? '/' : '\\', n) != NULL) {
        sfb_fault(f, "it", 0, sep == '\\'
                              ? "must separate its segments with '\\' only, "
                                "not '/'"
                              : "must not contain '\\'");
        return 0;
    }

    if (n > 0 && p[n - 1] == sep) {
        sfb_fault(f, "it", 0, sep == '\\' ? "must not end in '\\'"
                                          : "must not end in '/'");
        return 0;
    }

    seg = 0;

    for (i = 0; i <= n; i = (size_t) (e - p) + 1) {
        e = memchr(p + i, sep, n - i);
        if (e == NULL) {
            e = p + n;
        }

        seg++;

        rule = sfb_segment_rule(p + i, (size_t) (e - p) - i);

        if (rule == NULL && seg == 1) {
            rule = sfb_dns_rule(p + i, (size_t) (e - p) - i,
                                SFB_DNS_UPPER | SFB_DNS_IP);
        }

        if (rule != NULL) {
            sfb_fault(f, seg == 1 ? "the server" : seg == 2 ? "the share"
                                                            : NULL,
                      seg, rule);
            return 0;
        }

        if (e == p + n) {
            break;
        }
    }

    if (seg < 2) {
        sfb_fault(f, "it", 0, "must name a share after its server");
        return 0;
    }

    return 1;
}
