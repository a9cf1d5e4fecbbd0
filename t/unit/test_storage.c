/*
 * Unit tests of storage keys, restore locations and filtered listings
 * (src/core/sfb_storage.c, _rules.c, sfb_location.c, sfb_listing.c): every description form gives its key, every trick
 * that could make two readers see two places is refused, an entry matches
 * the description it names and no near miss, and no message or key
 * carries a secret.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sfb_tap.h"
#include "sfb_scope.h"
#include "sfb_storage.h"


#define N(a)       (sizeof(a) / sizeof((a)[0]))
#define S(s)       { (const unsigned char *) (s), sizeof(s) - 1 }
#define U(s)       (const unsigned char *) (s), strlen(s)

#define UUID       "1daae3f5-7fd6-42e9-b1ba-8c05f873994d"
#define UUID_UC    "1DAAE3F5-7FD6-42E9-B1BA-8C05F873994D"

/* the demo's account key: 88 base64 characters, as Azure's are */
#define KEY        "c2ZzaW0gZmFrZSBiYWNrdXBzIGFjY291bnQga2V5LCBub3QgYSBzZWNy" \
                   "ZXQhIDAxMjM0NTY3ODlhYmNkZWZnLg=="
#define SAS        "sv=2020-08-04&ss=b&sig=abc%3D"
#define ACCT       "AccountName=sfsimfakebackups;"
#define HOST       "sfsimfakebackups.blob.core.windows.net"
#define DEMO_CS    "DefaultEndpointsProtocol=https;" ACCT "AccountKey=" KEY \
                   ";EndpointSuffix=core.windows.net"
#define DEMO_KEY   "https://" HOST "/sf-backups"
#define SHARE      "\\\\backupserver.sfsim.example\\sf-backups"
#define SHARE_KEY  "file://backupserver.sfsim.example/sf-backups"
#define DSMS_LOC   "https://sfsim.dsms.example/creds/backup"
#define DSMS_KEY   "dsms:" DSMS_LOC "#sf-backups"
#define PASSWORD   "hunter2-not-a-secret"

#define AZ         "AzureBlobStore"
#define FS         "FileShare"
#define MI         "ManagedIdentityAzureBlobStore"
#define DS         "DsmsAzureBlobStore"


typedef struct {
    const char  *name;
    const char  *kind;
    const char  *a;     /* ConnectionString, Path, BlobServiceUri or
                           StorageCredentialsSourceLocation */
    const char  *b;     /* ContainerName; unused for FileShare */
    const char  *key;   /* NULL: refused */
    const char  *why;   /* when refused: words the sentence must hold */
} desc_case_t;


typedef struct {
    const char  *entry;
    const char  *why;   /* NULL: accepted, its own key */
} entry_case_t;


static json_t *description(const char *kind, const char *a, const char *b);
static void no_secret(const char *name, const char *cs, const char *out);
static void test_descriptions(void);
static void test_not_strings(void);
static void test_key_size(void);
static void test_entries(void);
static void test_both_ways(void);
static void test_location(void);
static void test_location_of(void);
static void test_policy_filter(void);
static void test_entity_filter(void);


static const desc_case_t  desc_cases[] = {

    /* AzureBlobStore: what the demo and the portal write */
    { "the demo's connection string", AZ, DEMO_CS, "sf-backups", DEMO_KEY,
      NULL },
    { "a single trailing ';'", AZ, DEMO_CS ";", "sf-backups", DEMO_KEY,
      NULL },
    { "the SAS form: BlobEndpoint and a signature", AZ,
      "BlobEndpoint=https://" HOST "/;SharedAccessSignature=" SAS,
      "sf-backups", DEMO_KEY, NULL },
    { "the SAS form without the trailing '/'", AZ,
      "BlobEndpoint=https://" HOST ";SharedAccessSignature=" SAS,
      "sf-backups", DEMO_KEY, NULL },
    { "the default suffix is core.windows.net", AZ,
      ACCT "AccountKey=" KEY, "sf-backups", DEMO_KEY, NULL },
    { "keys in any case, values as given", AZ,
      "accountname=sfsimfakebackups;ACCOUNTKEY=" KEY
      ";defaultendpointsprotocol=HTTPS", "sf-backups", DEMO_KEY, NULL },
    { "http when the description says so", AZ,
      "DefaultEndpointsProtocol=http;" ACCT "AccountKey=" KEY, "sf-backups",
      "http://" HOST "/sf-backups", NULL },
    { "an http BlobEndpoint", AZ,
      "BlobEndpoint=http://" HOST "/;SharedAccessSignature=" SAS,
      "sf-backups", "http://" HOST "/sf-backups", NULL },
    { "AccountName and BlobEndpoint that agree, with the suffix", AZ,
      ACCT "EndpointSuffix=core.windows.net;BlobEndpoint=https://" HOST
      "/;AccountKey=" KEY, "sf-backups", DEMO_KEY, NULL },
    { "AccountName and BlobEndpoint in another cloud", AZ,
      "AccountName=acct1;BlobEndpoint=https://acct1.blob.core.chinacloudapi"
      ".cn;AccountKey=" KEY, "c01",
      "https://acct1.blob.core.chinacloudapi.cn/c01", NULL },
    { "EndpointSuffix of another cloud", AZ,
      "AccountName=acct1;AccountKey=" KEY
      ";EndpointSuffix=core.usgovcloudapi.net", "c01",
      "https://acct1.blob.core.usgovcloudapi.net/c01", NULL },
    { "Queue, Table and File endpoints do not move blob data", AZ,
      ACCT "AccountKey=" KEY ";QueueEndpoint=https://evil.example/"
      ";TableEndpoint=https://evil.example/;FileEndpoint=x", "sf-backups",
      DEMO_KEY, NULL },
    { "EndpointSuffix=evil.example: the key says where", AZ,
      ACCT "AccountKey=" KEY ";EndpointSuffix=evil.example", "sf-backups",
      "https://sfsimfakebackups.blob.evil.example/sf-backups", NULL },
    { "BlobEndpoint to another host: the key says where", AZ,
      "BlobEndpoint=https://evil.example/;SharedAccessSignature=" SAS,
      "sf-backups", "https://evil.example/sf-backups", NULL },
    { "a value holding '=' (base64) splits at the first '='", AZ,
      ACCT "AccountKey=a=b==", "sf-backups", DEMO_KEY, NULL },
    { "an account of 3 and a container of 63", AZ,
      "AccountName=a1b;AccountKey=" KEY, "a23456789-123456789-123456789-"
      "123456789-123456789-123456789-123",
      "https://a1b.blob.core.windows.net/a23456789-123456789-123456789-"
      "123456789-123456789-123456789-123", NULL },

    /* AzureBlobStore: the tricks */
    { "AccountName given twice", AZ,
      ACCT "AccountName=evilaccount;AccountKey=" KEY, "sf-backups", NULL,
      "member 'ConnectionString': key 'AccountName' is given twice" },
    { "AccountName given twice in another case", AZ,
      ACCT "ACCOUNTNAME=evilaccount;AccountKey=" KEY, "sf-backups", NULL,
      "key 'AccountName' is given twice" },
    { "BlobEndpoint given twice", AZ,
      "BlobEndpoint=https://" HOST "/;blobendpoint=https://evil.example/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "key 'BlobEndpoint' is given twice" },
    { "AccountKey given twice", AZ, ACCT "AccountKey=" KEY ";AccountKey=abcd",
      "sf-backups", NULL, "key 'AccountKey' is given twice" },
    { "EndpointSuffix=evil.example against the BlobEndpoint", AZ,
      ACCT "BlobEndpoint=https://" HOST "/;EndpointSuffix=evil.example;"
      "AccountKey=" KEY, "sf-backups", NULL, "sends the account elsewhere" },
    { "BlobEndpoint to another host with an AccountName", AZ,
      ACCT "BlobEndpoint=https://evil.example/;AccountKey=" KEY,
      "sf-backups", NULL, "key 'BlobEndpoint' sends the account elsewhere" },
    { "AccountName against the BlobEndpoint's account", AZ,
      "AccountName=otheraccount;BlobEndpoint=https://" HOST "/;AccountKey="
      KEY, "sf-backups", NULL, "sends the account elsewhere" },
    { "BlobEndpoint one label longer than the suffix", AZ,
      ACCT "EndpointSuffix=core.windows.net;BlobEndpoint=https://" HOST
      ".evil.example/;AccountKey=" KEY, "sf-backups", NULL,
      "<AccountName>.blob.<EndpointSuffix>" },
    { "BlobEndpoint outside the EndpointSuffix", AZ,
      "BlobEndpoint=https://evil.example/;EndpointSuffix=core.windows.net;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must be a host under key 'EndpointSuffix'" },
    { "an unknown key", AZ, ACCT "AccountKey=" KEY ";Foo=bar", "sf-backups",
      NULL, "pair 3 has an unknown key" },
    { "UseDevelopmentStorage=true", AZ, "UseDevelopmentStorage=true",
      "sf-backups", NULL, "key 'UseDevelopmentStorage' is not accepted" },
    { "DevelopmentStorageProxyUri", AZ,
      ACCT "DevelopmentStorageProxyUri=http://evil.example", "sf-backups",
      NULL, "key 'DevelopmentStorageProxyUri' is not accepted" },
    { "BlobSecondaryEndpoint", AZ,
      ACCT "AccountKey=" KEY ";BlobSecondaryEndpoint=https://evil.example/",
      "sf-backups", NULL, "key 'BlobSecondaryEndpoint' is not accepted" },
    { "a port", AZ, "BlobEndpoint=https://" HOST ":443/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "key 'BlobEndpoint' must not carry a port" },
    { "userinfo", AZ, "BlobEndpoint=https://" HOST "@evil.example/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must not carry user information" },
    { "a backslash before the host's end", AZ,
      "BlobEndpoint=https://evil.example\\" HOST "/;SharedAccessSignature="
      SAS, "sf-backups", NULL, "must not contain '\\'" },
    { "a percent escape in the host", AZ,
      "BlobEndpoint=https://sfsimfakebackups%2eblob.core.windows.net/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL, "'%' escapes" },
    { "an IPv4 host", AZ, "BlobEndpoint=https://10.0.0.1/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must not be an IP address" },
    { "an IPv4 host as one number", AZ, "BlobEndpoint=https://2130706433/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must not be an IP address" },
    { "an IPv6 host", AZ, "BlobEndpoint=https://[::1]/;"
      "SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must not be an IP address" },
    { "a BlobEndpoint with a path", AZ, "BlobEndpoint=https://" HOST
      "/sf-backups;SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must have no path" },
    { "a BlobEndpoint with a query", AZ, "BlobEndpoint=https://" HOST
      "/?sv=1;SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must not carry a query" },
    { "a BlobEndpoint with a fragment", AZ, "BlobEndpoint=https://" HOST
      "/#x;SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must not carry a fragment" },
    { "a BlobEndpoint host with a trailing dot", AZ, "BlobEndpoint=https://"
      HOST "./;SharedAccessSignature=" SAS, "sf-backups", NULL,
      "its host must not have an empty label" },
    { "an uppercase BlobEndpoint host", AZ, "BlobEndpoint=https://"
      "SFSIMFAKEBACKUPS.blob.core.windows.net/;SharedAccessSignature=" SAS,
      "sf-backups", NULL, "its host must be lowercase" },
    { "an uppercase BlobEndpoint scheme", AZ, "BlobEndpoint=HTTPS://" HOST
      "/;SharedAccessSignature=" SAS, "sf-backups", NULL,
      "must begin with https:// or http://" },
    { "BlobEndpoint and DefaultEndpointsProtocol disagree", AZ,
      "DefaultEndpointsProtocol=http;BlobEndpoint=https://" HOST
      "/;SharedAccessSignature=" SAS, "sf-backups", NULL,
      "disagree on the scheme" },
    { "a protocol other than https or http", AZ,
      "DefaultEndpointsProtocol=ftp;" ACCT "AccountKey=" KEY, "sf-backups",
      NULL, "key 'DefaultEndpointsProtocol' must be https or http" },
    { "an uppercase account", AZ,
      "AccountName=SfSimFakeBackups;AccountKey=" KEY, "sf-backups", NULL,
      "key 'AccountName' must be 3 to 24 lowercase letters and digits" },
    { "an account of 25 characters", AZ,
      "AccountName=abcdefghijklmnopqrstuvwxy;AccountKey=" KEY, "sf-backups",
      NULL, "key 'AccountName' must be 3 to 24" },
    { "an account with '-'", AZ, "AccountName=sf-sim;AccountKey=" KEY,
      "sf-backups", NULL, "key 'AccountName' must be 3 to 24" },
    { "an uppercase EndpointSuffix", AZ,
      ACCT "AccountKey=" KEY ";EndpointSuffix=Core.Windows.Net",
      "sf-backups", NULL, "key 'EndpointSuffix' must be a lowercase DNS" },
    { "an EndpointSuffix with a trailing dot", AZ,
      ACCT "AccountKey=" KEY ";EndpointSuffix=core.windows.net.",
      "sf-backups", NULL, "it must not have an empty label" },
    { "an EndpointSuffix of an address", AZ,
      ACCT "AccountKey=" KEY ";EndpointSuffix=10.0.0.1", "sf-backups", NULL,
      "must not be an IP address" },
    { "a space before '='", AZ,
      "AccountName =sfsimfakebackups;AccountKey=" KEY, "sf-backups", NULL,
      "the key of pair 1 contains whitespace" },
    { "a space after '='", AZ,
      "AccountName= sfsimfakebackups;AccountKey=" KEY, "sf-backups", NULL,
      "key 'AccountName' has whitespace or a control character at an end" },
    { "a space at the end of a value", AZ,
      "AccountName=sfsimfakebackups ;AccountKey=" KEY, "sf-backups", NULL,
      "key 'AccountName' has whitespace" },
    { "a space before a key", AZ,
      ACCT " AccountKey=" KEY, "sf-backups", NULL,
      "the key of pair 2 contains whitespace" },
    { "an empty pair in the middle", AZ, ACCT ";AccountKey=" KEY,
      "sf-backups", NULL, "pair 2 is empty" },
    { "a leading ';'", AZ, ";" ACCT "AccountKey=" KEY, "sf-backups", NULL,
      "pair 1 is empty" },
    { "two trailing ';'", AZ, ACCT "AccountKey=" KEY ";;", "sf-backups",
      NULL, "pair 3 is empty" },
    { "an empty connection string", AZ, "", "sf-backups", NULL,
      "member 'ConnectionString' has no key=value pair" },
    { "a connection string of one ';'", AZ, ";", "sf-backups", NULL,
      "has no key=value pair" },
    { "a pair without '='", AZ, ACCT "AccountKey", "sf-backups", NULL,
      "pair 2 has no '='" },
    { "a pair with an empty key", AZ, ACCT "=x", "sf-backups", NULL,
      "pair 2 has an empty key" },
    { "a pair with an empty value", AZ, ACCT "AccountKey=", "sf-backups",
      NULL, "key 'AccountKey' has an empty value" },
    { "a quoted value", AZ, ACCT "AccountKey=\"" KEY "\"", "sf-backups",
      NULL, "key 'AccountKey' has a quoted value" },
    { "neither AccountName nor BlobEndpoint", AZ,
      "AccountKey=" KEY ";EndpointSuffix=core.windows.net", "sf-backups",
      NULL, "names no blob endpoint" },
    { "a control character in a key", AZ, ACCT "Account\x01Key=" KEY,
      "sf-backups", NULL, "the key of pair 2 contains whitespace or a "
      "control character" },
    { "a non-ASCII look-alike of a key", AZ,
      ACCT "AccountN\xc4\xb1me=evilaccount", "sf-backups", NULL,
      "pair 2 has an unknown key" },
    { "an uppercase container", AZ, DEMO_CS, "SF-Backups", NULL,
      "member 'ContainerName' must be lowercase letters, digits and '-'" },
    { "a container of 2", AZ, DEMO_CS, "sf", NULL,
      "member 'ContainerName' must be 3 to 63 characters long" },
    { "a container of 64", AZ, DEMO_CS, "a23456789-123456789-123456789-"
      "123456789-123456789-123456789-1234", NULL,
      "member 'ContainerName' must be 3 to 63" },
    { "a container with \"--\"", AZ, DEMO_CS, "sf--backups", NULL,
      "must not contain \"--\"" },
    { "a container beginning with '-'", AZ, DEMO_CS, "-sf-backups", NULL,
      "must begin and end with a letter or a digit" },
    { "a container ending with '-'", AZ, DEMO_CS, "sf-backups-", NULL,
      "must begin and end with a letter or a digit" },
    { "a container with a '/'", AZ, DEMO_CS, "sf/backups", NULL,
      "member 'ContainerName' must be lowercase letters" },

    /* FileShare */
    { "the demo's share", FS, SHARE, NULL, SHARE_KEY, NULL },
    { "directories, spaces and dots inside", FS,
      "\\\\srv\\share\\My Backups\\v1.2", NULL,
      "file://srv/share/My Backups/v1.2", NULL },
    { "a server by address", FS, "\\\\10.0.0.5\\backups", NULL,
      "file://10.0.0.5/backups", NULL },
    { "case kept", FS, "\\\\BackupServer\\SF-Backups", NULL,
      "file://BackupServer/SF-Backups", NULL },
    { "'..' in a share path", FS, "\\\\srv\\share\\..\\other", NULL, NULL,
      "member 'Path' must be a UNC path \\\\server\\share[\\dir...]: "
      "segment 3 must not be '.' or '..'" },
    { "'..' as the share", FS, "\\\\srv\\..\\share", NULL, NULL,
      "segment 2 (the share) must not be '.' or '..'" },
    { "'.' in a share path", FS, "\\\\srv\\share\\.\\x", NULL, NULL,
      "segment 3 must not be '.' or '..'" },
    { "'/' in a share path", FS, "\\\\srv\\share/dir", NULL, NULL,
      "it must separate its segments with '\\' only, not '/'" },
    { "'/' for the leading backslashes", FS, "//srv/share", NULL, NULL,
      "it must begin with two backslashes" },
    { "a device path \\\\?\\", FS, "\\\\?\\C:\\backups", NULL, NULL,
      "segment 1 (the server) must not contain ':', '*', '?'" },
    { "a device path \\\\.\\", FS, "\\\\.\\pipe\\x", NULL, NULL,
      "segment 1 (the server) must not be '.' or '..'" },
    { "a trailing dot", FS, "\\\\srv\\share.", NULL, NULL,
      "segment 2 (the share) must not end in '.' or a space" },
    { "a trailing space", FS, "\\\\srv\\share\\dir ", NULL, NULL,
      "segment 3 must not end in '.' or a space" },
    { "a server with a trailing dot", FS, "\\\\srv.\\share", NULL, NULL,
      "segment 1 (the server) must not end in '.'" },
    { "a drive letter", FS, "C:\\backups", NULL, NULL,
      "it must begin with two backslashes" },
    { "a drive as the share", FS, "\\\\srv\\C:\\backups", NULL, NULL,
      "segment 2 (the share) must not contain ':'" },
    { "an alternate stream", FS, "\\\\srv\\share\\f:stream", NULL, NULL,
      "segment 3 must not contain ':'" },
    { "three leading backslashes", FS, "\\\\\\srv\\share", NULL, NULL,
      "it must begin with exactly two backslashes" },
    { "a trailing backslash", FS, "\\\\srv\\share\\", NULL, NULL,
      "it must not end in '\\'" },
    { "a server alone", FS, "\\\\srv", NULL, NULL,
      "it must name a share after its server" },
    { "an empty segment", FS, "\\\\srv\\\\share", NULL, NULL,
      "segment 2 (the share) must not be empty" },
    { "a wildcard", FS, "\\\\srv\\share\\*", NULL, NULL,
      "segment 3 must not contain ':', '*'" },
    { "an environment variable", FS, "\\\\srv\\%USERPROFILE%", NULL, NULL,
      "'|' or '%'" },
    { "non-ASCII", FS, "\\\\srv\\sh\xc3\xa9re", NULL, NULL,
      "segment 2 (the share) must not contain control or non-ASCII" },
    { "a control character", FS, "\\\\srv\\share\\a\tb", NULL, NULL,
      "segment 3 must not contain control" },
    { "a server with '_'", FS, "\\\\my_srv\\share", NULL, NULL,
      "segment 1 (the server) must be letters, digits, '-' and '.' only" },
    { "a server with a port", FS, "\\\\srv@SSL@443\\share", NULL, NULL,
      "segment 1 (the server) must be letters, digits" },
    { "a server with an empty label", FS, "\\\\srv..x\\share", NULL, NULL,
      "segment 1 (the server) must not have an empty label" },
    { "an empty path", FS, "", NULL, NULL,
      "it must begin with two backslashes" },

    /* ManagedIdentityAzureBlobStore */
    { "a managed identity's account", MI, "https://" HOST "/", "sf-backups",
      DEMO_KEY, NULL },
    { "... without the trailing '/'", MI, "https://" HOST, "sf-backups",
      DEMO_KEY, NULL },
    { "... over http", MI, "http://" HOST, "sf-backups",
      "http://" HOST "/sf-backups", NULL },
    { "... in uppercase", MI, "HTTPS://" HOST "/", "sf-backups", NULL,
      "member 'BlobServiceUri' must begin with https:// or http://" },
    { "... with a path", MI, "https://" HOST "/sf-backups", "sf-backups",
      NULL, "member 'BlobServiceUri' must have no path" },
    { "... with two trailing '/'", MI, "https://" HOST "//", "sf-backups",
      NULL, "member 'BlobServiceUri' must have no path" },
    { "... with a query", MI, "https://" HOST "/?" SAS, "sf-backups", NULL,
      "member 'BlobServiceUri' must not carry a query" },
    { "... with a leading space", MI, " https://" HOST "/", "sf-backups",
      NULL, "must begin with https://" },
    { "... with a port", MI, "https://" HOST ":8443/", "sf-backups", NULL,
      "member 'BlobServiceUri' must not carry a port" },
    { "... with userinfo", MI, "https://x@" HOST "/", "sf-backups", NULL,
      "must not carry user information" },
    { "... with an empty host", MI, "https:///", "sf-backups", NULL,
      "its host must not be empty" },
    { "... with a label beginning with '-'", MI, "https://-x.example/",
      "sf-backups", NULL, "must not have a label beginning or ending" },
    { "... with a bad container", MI, "https://" HOST, "sf_backups", NULL,
      "member 'ContainerName' must be lowercase" },

    /* DsmsAzureBlobStore */
    { "a DSMS location", DS, DSMS_LOC, "sf-backups", DSMS_KEY, NULL },
    { "a location with '#'", DS, DSMS_LOC "#x", "sf-backups", NULL,
      "member 'StorageCredentialsSourceLocation' must be printable ASCII "
      "without spaces or '#'" },
    { "a location with a space", DS, "a b", "sf-backups", NULL,
      "without spaces" },
    { "an empty location", DS, "", "sf-backups", NULL,
      "member 'StorageCredentialsSourceLocation' must be 1 to 1024" },
    { "a bad container", DS, DSMS_LOC, "sf", NULL,
      "member 'ContainerName' must be 3 to 63" }
};


static const entry_case_t  entry_cases[] = {
    { DEMO_KEY, NULL },
    { "http://acct1.blob.core.windows.net/c01", NULL },
    { SHARE_KEY, NULL },
    { "file://srv/share/My Backups/v1.2", NULL },
    { "file://10.0.0.5/backups", NULL },
    { DSMS_KEY, NULL },
    { DEMO_KEY "/", "must have exactly one path segment, the container" },
    { "https://" HOST "/", "must name a container" },
    { "https://" HOST, "must name a container" },
    { "https://" HOST "/a/b", "must have exactly one path segment" },
    { "https://SFSIMFAKEBACKUPS.blob.core.windows.net/sf-backups",
      "its host must be lowercase" },
    { "HTTPS://" HOST "/sf-backups", "must begin with https://, http://" },
    { "https://" HOST ":443/sf-backups", "must not carry a port" },
    { "https://u@" HOST "/sf-backups", "must not carry user information" },
    { DEMO_KEY "?x", "must not carry a query" },
    { "https://" HOST "/SF-Backups", "its container must be lowercase" },
    { "https://" HOST "./sf-backups", "must not have an empty label" },
    { "https://10.0.0.1/sf-backups", "must not be an IP address" },
    { "https://" HOST "/sf%2dbackups", "must not contain '%' escapes" },
    { "file://srv", "it must name a share after its server" },
    { "file://srv/share/", "it must not end in '/'" },
    { "file://srv/share\\dir", "it must not contain '\\'" },
    { "file://srv/../x", "segment 2 (the share) must not be '.' or '..'" },
    { "file:///share", "segment 1 (the server) must not be empty" },
    { "file://srv/share.", "must not end in '.' or a space" },
    { "file://srv/c:", "must not contain ':'" },
    { "file://my_srv/share", "segment 1 (the server) must be letters" },
    { "dsms:" DSMS_LOC, "must be dsms:<location>#<container>" },
    { "dsms:#sf-backups", "its location must be 1 to 1024" },
    { "dsms:a b#sf-backups", "its location must be printable ASCII" },
    { "dsms:" DSMS_LOC "#sf", "its container must be 3 to 63" },
    { "dsms:a#b#ccc", "its container must be lowercase" },
    { "", "must begin with https://, http://, file:// or dsms:" },
    { "s3://bucket/x", "must begin with https://" },
    { " " DEMO_KEY, "must begin with https://" },
    { "File://srv/share", "must begin with" }
};


int
main(void)
{
    test_descriptions();
    test_not_strings();
    test_key_size();
    test_entries();
    test_both_ways();
    test_location();
    test_location_of();
    test_policy_filter();
    test_entity_filter();

    return done_testing();
}


/* a description of kind with its members; FileShare gets passwords too */
static json_t *
description(const char *kind, const char *a, const char *b)
{
    if (strcmp(kind, AZ) == 0) {
        return json_pack("{s:s, s:s, s:s, s:s}", "StorageKind", kind,
                         "FriendlyName", "x", "ConnectionString", a,
                         "ContainerName", b);
    }

    if (strcmp(kind, FS) == 0) {
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "StorageKind",
                         kind, "Path", a, "PrimaryUserName", "backup",
                         "PrimaryPassword", PASSWORD, "SecondaryUserName",
                         "backup2", "SecondaryPassword", PASSWORD "2");
    }

    if (strcmp(kind, MI) == 0) {
        return json_pack("{s:s, s:s, s:s, s:s}", "StorageKind", kind,
                         "ManagedIdentityType", "Cluster", "BlobServiceUri",
                         a, "ContainerName", b);
    }

    return json_pack("{s:s, s:s, s:s}", "StorageKind", kind,
                     "StorageCredentialsSourceLocation", a, "ContainerName",
                     b);
}


/* no AccountKey or SharedAccessSignature value of cs, no password */
static void
no_secret(const char *name, const char *cs, const char *out)
{
    int          clean;
    char         v[512];
    size_t       n;
    const char  *p, *e, *eq;

    clean = strstr(out, PASSWORD) == NULL;

    for (p = cs; clean && *p; p = *e ? e + 1 : e) {
        e = strchr(p, ';');
        if (e == NULL) {
            e = p + strlen(p);
        }

        eq = memchr(p, '=', (size_t) (e - p));

        if (eq == NULL
            || !((eq - p == 10 && strncasecmp(p, "AccountKey", 10) == 0)
                 || (eq - p == 21
                     && strncasecmp(p, "SharedAccessSignature", 21) == 0)))
        {
            continue;
        }

        n = (size_t) (e - eq - 1);

        if (n >= 4 && n < sizeof(v)) {
            memcpy(v, eq + 1, n);
            v[n] = '\0';
            clean = strstr(out, v) == NULL;
        }
    }

    ok(clean, "%s: no secret in '%s'", name, out);
}


static void
test_descriptions(void)
{
    char                 key[SFB_STORAGE_KEY_MAX], why[256];
    size_t               i, n;
    json_t              *s;
    const desc_case_t   *c;

    for (i = 0; i < N(desc_cases); i++) {
        c = &desc_cases[i];
        s = description(c->kind, c->a, c->b);

        if (s == NULL) {
            ok(0, "%s: json_pack", c->name);
            continue;
        }

        memset(why, 'x', sizeof(why));
        n = sfb_storage_key(s, key, sizeof(key), why, sizeof(why));

        if (c->key != NULL) {
            is_mem(key, n, c->key, "%s: key", c->name);
            is_str(why, "", "%s: no why", c->name);

        } else {
            is_int(n, 0, "%s: refused", c->name);
            is_str(key, "", "%s: an empty key", c->name);
            ok(strstr(why, c->why) != NULL, "%s: why '%s' holds '%s'",
               c->name, why, c->why);
        }

        no_secret(c->name, c->a, why);
        no_secret(c->name, c->a, key);

        json_decref(s);
    }

    /* the tricks that the key itself exposes differ from the real place */
    s = description(AZ, ACCT "AccountKey=" KEY ";EndpointSuffix=evil.example",
                    "sf-backups");
    n = sfb_storage_key(s, key, sizeof(key), why, sizeof(why));
    ok(n > 0 && strcmp(key, DEMO_KEY) != 0,
       "EndpointSuffix=evil.example is not the demo's storage");
    json_decref(s);
}


static void
test_not_strings(void)
{
    char     key[SFB_STORAGE_KEY_MAX], why[256];
    json_t  *s;

    s = json_pack("{s:s, s:i, s:s}", "StorageKind", AZ, "ConnectionString",
                  42, "ContainerName", "sf-backups");
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "a ConnectionString not a string: refused");
    is_str(why, "member 'ConnectionString' must be a string", "... said so");
    json_decref(s);

    s = json_pack("{s:s, s:s}", "StorageKind", AZ, "ConnectionString",
                  DEMO_CS);
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "no ContainerName: refused");
    is_str(why, "member 'ContainerName' must be a string", "... said so");
    json_decref(s);

    s = json_pack("{s:s, s:s}", "StorageKind", "S3", "Path", SHARE);
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "an unknown StorageKind: refused");
    ok(strncmp(why, "member 'StorageKind' must be one of", 35) == 0,
       "... said so: %s", why);
    json_decref(s);

    s = json_pack("{s:s, s:s}", "StorageKind", "filesharE", "Path", SHARE);
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "a StorageKind in another case: refused");
    json_decref(s);

    s = json_pack("{s:s}", "Path", SHARE);
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "no StorageKind: refused");
    is_str(why, "member 'StorageKind' must be a string", "... said so");
    json_decref(s);

    s = json_pack("[s]", SHARE);
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "not an object: refused");
    is_str(why, "the storage must be a JSON object", "... said so");
    json_decref(s);

    s = json_pack("{s:s, s:s#}", "StorageKind", FS, "Path",
                  "\\\\srv\\share\0x", (int) 14);
    is_int(sfb_storage_key(s, key, sizeof(key), why, sizeof(why)), 0,
           "a NUL inside Path: refused");
    json_decref(s);

    is_int(sfb_storage_key(NULL, key, sizeof(key), NULL, 0), 0,
           "no storage and no room for why: refused");
}


static void
test_key_size(void)
{
    char     key[SFB_STORAGE_KEY_MAX], again[SFB_STORAGE_KEY_MAX];
    char     why[256], loc[1025];
    size_t   n;
    json_t  *s;

    s = description(AZ, DEMO_CS, "sf-backups");

    n = sfb_storage_key(s, key, sizeof(DEMO_KEY), why, sizeof(why));
    is_int(n, sizeof(DEMO_KEY) - 1, "a key fits a buffer of its size");

    n = sfb_storage_key(s, key, sizeof(DEMO_KEY) - 1, why, sizeof(why));
    is_int(n, 0, "a key is never cut: one byte less refuses");
    is_str(key, "", "... with an empty key");
    is_str(why, "the storage's key would be longer than 1023 bytes",
           "... and says why");

    n = sfb_storage_key(s, key, sizeof(key), why, 8);
    is_int(n, sizeof(DEMO_KEY) - 1, "a small why buffer does not matter");

    json_decref(s);

    /* a location of 1024 fits the rule, not a key */
    memset(loc, 'a', 1024);
    loc[1024] = '\0';
    s = description(DS, loc, "sf-backups");
    n = sfb_storage_key(s, key, sizeof(key), why, sizeof(why));
    is_int(n, 0, "a DSMS key of 1040 bytes: refused");
    is_str(why, "the storage's key would be longer than 1023 bytes",
           "... said so");
    json_decref(s);

    memset(loc, 'a', 1023 - 5 - 1 - 10);
    loc[1023 - 5 - 1 - 10] = '\0';
    s = description(DS, loc, "sf-backups");
    n = sfb_storage_key(s, key, sizeof(key), why, sizeof(why));
    is_int(n, 1023, "a DSMS key of 1023 bytes: accepted");
    json_decref(s);

    n = sfb_storage_entry_key(U(key), again, sizeof(again), why,
                              sizeof(why));
    is_int(n, 1023, "... and as an entry");
    ok(strcmp(again, key) == 0, "... giving itself");
}


static void
test_entries(void)
{
    char                 key[SFB_STORAGE_KEY_MAX], why[256];
    size_t               i, n;
    const entry_case_t  *c;

    for (i = 0; i < N(entry_cases); i++) {
        c = &entry_cases[i];
        n = sfb_storage_entry_key(U(c->entry), key, sizeof(key), why,
                                  sizeof(why));

        if (c->why == NULL) {
            is_mem(key, n, c->entry, "entry '%s' is its own key", c->entry);
            is_str(why, "", "... no why");
            continue;
        }

        is_int(n, 0, "entry '%s': refused", c->entry);
        ok(strstr(why, c->why) != NULL, "... why '%s' holds '%s'", why,
           c->why);
        ok(strncmp(why, "storage entry '", 15) == 0
           && strstr(why, c->entry) != NULL,
           "... and quotes the entry");
    }

    n = sfb_storage_entry_key(U("file://srv/\x01x"), key, sizeof(key), why,
                              sizeof(why));
    is_int(n, 0, "an entry with a control character: refused");
    ok(strchr(why, '\x01') == NULL, "... not quoted raw: %s", why);
}


/*
 * Each form, both ways: a description's key is accepted as an entry and
 * gives itself; the near misses of that entry do not give it (they are
 * refused or name another place), and neither do near-miss descriptions.
 */
static void
test_both_ways(void)
{
    char                 key[SFB_STORAGE_KEY_MAX], want[SFB_STORAGE_KEY_MAX];
    char                 why[256];
    size_t               i, k, n;
    json_t              *s;
    const char          *miss;
    static const struct {
        const char      *kind;
        const char      *a;
        const char      *b;
        const char      *near[6];
        const char      *near_a[3];     /* near-miss descriptions */
    } forms[] = {
        { AZ, DEMO_CS, "sf-backups",
          { "https://" HOST "/sf-backup", "http://" HOST "/sf-backups",
            "https://" HOST "/sf-backups/", "https://" HOST "./sf-backups",
            "https://sfsimfakebackups.blob.core.windows.net.evil.example/"
            "sf-backups", "https://sfsimfakebackups2.blob.core.windows.net/"
            "sf-backups" },
          { ACCT "AccountKey=" KEY ";EndpointSuffix=core.windows.net.evil",
            "DefaultEndpointsProtocol=http;" ACCT "AccountKey=" KEY,
            "AccountName=sfsimfakebackups2;AccountKey=" KEY } },
        { MI, "https://" HOST "/", "sf-backups",
          { "https://" HOST "/sf-backups2", "https://" HOST,
            "https://blob.core.windows.net/sf-backups",
            "https://" HOST "/sf-backups#", "file://" HOST "/sf-backups",
            "dsms:https://" HOST "/#sf-backups" },
          { "http://" HOST "/", "https://x" HOST "/",
            "https://" HOST ".evil.example/" } },
        { FS, SHARE, NULL,
          { "file://backupserver.sfsim.example/SF-Backups",
            "file://BACKUPSERVER.sfsim.example/sf-backups",
            "file://backupserver.sfsim.example/sf-backups/",
            "file://backupserver.sfsim.example/sf-backups/sub",
            "file://backupserver.sfsim.example./sf-backups",
            "file://backupserver/sf-backups" },
          { "\\\\backupserver.sfsim.example\\sf-backups\\sub",
            "\\\\backupserver.sfsim.example\\SF-Backups",
            "\\\\backupserver\\sf-backups" } },
        { DS, DSMS_LOC, "sf-backups",
          { "dsms:" DSMS_LOC "#sf-backup", "dsms:" DSMS_LOC "/#sf-backups",
            "dsms:" DSMS_LOC, "dsms:" DSMS_LOC "#sf-backups#",
            "https://sfsim.dsms.example/sf-backups",
            "dsms:HTTPS://sfsim.dsms.example/creds/backup#sf-backups" },
          { DSMS_LOC "/", "https://sfsim.dsms.example/creds",
            "https://SFSIM.dsms.example/creds/backup" } }
    };

    for (i = 0; i < N(forms); i++) {
        s = description(forms[i].kind, forms[i].a, forms[i].b);
        n = sfb_storage_key(s, want, sizeof(want), why, sizeof(why));
        json_decref(s);

        ok(n > 0, "%s: the description gives a key", forms[i].kind);

        n = sfb_storage_entry_key(U(want), key, sizeof(key), why,
                                  sizeof(why));
        ok(n > 0 && strcmp(key, want) == 0,
           "%s: its key as an entry gives the key: %s", forms[i].kind, key);

        for (k = 0; k < N(forms[i].near); k++) {
            miss = forms[i].near[k];
            n = sfb_storage_entry_key(U(miss), key, sizeof(key), why,
                                      sizeof(why));
            ok(n == 0 || strcmp(key, want) != 0,
               "%s: near-miss entry '%s' does not match", forms[i].kind,
               miss);
        }

        for (k = 0; k < N(forms[i].near_a); k++) {
            miss = forms[i].near_a[k];
            s = description(forms[i].kind, miss, forms[i].b);
            n = sfb_storage_key(s, key, sizeof(key), why, sizeof(why));
            json_decref(s);
            ok(n == 0 || strcmp(key, want) != 0,
               "%s: near-miss description '%s' does not match",
               forms[i].kind, miss);
        }
    }
}


static void
test_location(void)
{
    int                     rc;
    char                    why[256];
    size_t                  i;
    sfb_backup_location_t   loc;
    static const struct {
        const char         *p;
        const char         *why;
    } bad[] = {
        { "..\\CalcService\\" UUID "\\f.zip",
          "segment 1 must not be '.' or '..'" },
        { "CalcApp\\..\\" UUID "\\f.zip", "segment 2 must not be '.' or" },
        { "CalcApp\\CalcService\\" UUID "\\..", "segment 4 must not be '.'" },
        { "CalcApp\\.\\" UUID "\\f.zip", "segment 2 must not be '.' or" },
        { "\\CalcApp\\CalcService\\" UUID "\\f.zip",
          "it must be relative: it must not begin with '\\'" },
        { "C:\\CalcApp\\CalcService\\" UUID "\\f.zip",
          "it must not contain ':' (a drive or a stream)" },
        { "C:CalcApp\\CalcService\\" UUID "\\f.zip", "must not contain ':'" },
        { "\\\\server\\x\\" UUID "\\f.zip", "it must be relative" },
        { "\\\\?\\x\\" UUID "\\f.zip", "it must be relative" },
        { "CalcApp\\CalcService\\" UUID "\\f.zip:stream",
          "must not contain ':'" },
        { "CalcApp\\" UUID "\\f.zip",
          "it must have exactly four segments" },
        { "TeamA\\CalcApp\\CalcService\\" UUID "\\f.zip",
          "it must have exactly four segments" },
        { "CalcApp\\CalcService\\1daae3f5-7fd6-42e9-b1ba-8c05f873994\\f.zip",
          "segment 3 (the partition id) must be a UUID" },
        { "CalcApp\\CalcService\\1daae3f5x7fd6-42e9-b1ba-8c05f873994d\\f.zip",
          "must be a UUID" },
        { "CalcApp\\CalcService\\gdaae3f5-7fd6-42e9-b1ba-8c05f873994d\\f.zip",
          "must be a UUID" },
        { "CalcApp\\CalcService\\{" UUID "}\\f.zip", "must be a UUID" },
        { "CalcApp/CalcService\\" UUID "\\f.zip",
          "it must separate its segments with '\\' only, not '/'" },
        { "CalcApp\\CalcService/" UUID "/f.zip", "not '/'" },
        { "CalcApp\\CalcService\\" UUID "\\f.zip.",
          "segment 4 must not end in '.' or a space" },
        { "CalcApp \\CalcService\\" UUID "\\f.zip",
          "segment 1 must not end in '.' or a space" },
        { "CalcApp\\Calc*\\" UUID "\\f.zip", "segment 2 must not contain" },
        { "CalcApp\\CalcService\\" UUID "\\f%20.zip", "'%'" },
        { "CalcApp\\Calc\tService\\" UUID "\\f.zip",
          "segment 2 must not contain control or non-ASCII" },
        { "Calc\xc3\xa4pp\\CalcService\\" UUID "\\f.zip",
          "segment 1 must not contain control or non-ASCII" },
        { "CalcApp\\\\" UUID "\\f.zip", "segment 2 must not be empty" },
        { "CalcApp\\CalcService\\" UUID "\\", "segment 4 must not be empty" },
        { "", "it must not be empty" }
    };

    rc = sfb_backup_location(U("CalcApp\\CalcService\\" UUID
                               "\\2018-01-01 09.00.55.zip"), &loc, why,
                             sizeof(why));
    is_int(rc, 1, "Microsoft's example location");
    is_str(why, "", "... no why");
    is_mem(loc.app.data, loc.app.len, "CalcApp", "... its application");
    is_mem(loc.service.data, loc.service.len, "CalcService", "... service");
    is_str(loc.partition, UUID, "... partition");
    is_mem(loc.file.data, loc.file.len, "2018-01-01 09.00.55.zip",
           "... file, spaces and dots inside");

    rc = sfb_backup_location(U("TeamA\\Orders\\" UUID_UC "\\x.bkmetadata"),
                             &loc, why, sizeof(why));
    is_int(rc, 1, "an uppercase partition id");
    is_str(loc.partition, UUID, "... written lowercase");

    for (i = 0; i < N(bad); i++) {
        memset(why, 'x', sizeof(why));
        rc = sfb_backup_location(U(bad[i].p), &loc, why, sizeof(why));
        is_int(rc, 0, "location refused: '%s'", bad[i].p);
        ok(strstr(why, bad[i].why) != NULL, "... why '%s' holds '%s'", why,
           bad[i].why);
        ok(strncmp(why, "member 'BackupLocation' must be ", 32) == 0
           && strstr(why, "Calc") == NULL && strstr(why, "1daae3f5") == NULL,
           "... names the member, quotes nothing");
        ok(loc.app.len == 0 && loc.partition[0] == '\0',
           "... leaves loc empty");
    }
}


static void
test_location_of(void)
{
    char                    why[256];
    size_t                  i;
    sfb_backup_location_t   calc, team, empty;
    static const struct {
        const char         *service;
        int                 calc;
        int                 team;
    } cases[] = {
        { "fabric:/CalcApp/CalcService", 1, 0 },
        { "FABRIC:/CalcApp/CalcService", 1, 0 },
        { "Fabric:/CalcApp/CalcService/Deeper", 1, 0 },
        { "fabric:/TeamA/Orders/Store", 0, 1 },
        { "fabric:/TeamA/Orders", 0, 1 },
        { "fabric:/calcapp/CalcService", 0, 0 },
        { "fabric:/CalcApp/calcservice", 0, 0 },
        { "fabric:/CalcApp/CalcServiceX", 0, 0 },
        { "fabric:/CalcAppX/CalcService", 0, 0 },
        { "fabric:/OtherApp/CalcService", 0, 0 },
        { "fabric:/CalcApp", 0, 0 },
        { "fabric:/TeamA", 0, 0 },
        { "fabric:/CalcApp/CalcService/", 0, 0 },
        { "fabric:/CalcApp//CalcService", 0, 0 },
        { "CalcApp/CalcService", 0, 0 },
        { "fabric://CalcApp/CalcService", 0, 0 },
        { "", 0, 0 }
    };

    (void) sfb_backup_location(U("CalcApp\\CalcService\\" UUID "\\f.zip"),
                               &calc, why, sizeof(why));
    (void) sfb_backup_location(U("TeamA\\Orders\\" UUID "\\f.zip"), &team,
                               why, sizeof(why));
    (void) sfb_backup_location(U("x"), &empty, why, sizeof(why));

    for (i = 0; i < N(cases); i++) {
        is_int(sfb_backup_location_of(&calc, U(cases[i].service)),
               cases[i].calc, "CalcApp\\CalcService\\... of '%s'",
               cases[i].service);
        is_int(sfb_backup_location_of(&team, U(cases[i].service)),
               cases[i].team, "TeamA\\Orders\\... of '%s'",
               cases[i].service);
        is_int(sfb_backup_location_of(&empty, U(cases[i].service)), 0,
               "a refused location is of no service ('%s')",
               cases[i].service);

        /* for a name already valid, the cheaper form says the same */
        if (sfb_scope_name_valid(U(cases[i].service))) {
            is_int(sfb_backup_location_of_valid(&calc, U(cases[i].service)),
                   cases[i].calc, "CalcApp\\CalcService\\... of valid "
                   "'%s'", cases[i].service);
            is_int(sfb_backup_location_of_valid(&team, U(cases[i].service)),
                   cases[i].team, "TeamA\\Orders\\... of valid '%s'",
                   cases[i].service);
        }
    }
}


static void
test_policy_filter(void)
{
    char            *out;
    size_t           i, n;
    static const sfb_str_t  names[] = { S("daily"), S("hourly"),
                                        S("caf\xc3\xa9") };
    static const struct {
        const char  *name;
        const char  *in;
        size_t       n;
        const char  *out;      /* NULL: nothing may be sent */
    } cases[] = {
        { "kept and dropped, the token kept",
          "{\"ContinuationToken\":\"t1\",\"Items\":[{\"Name\":\"daily\","
          "\"Storage\":{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\s"
          "\\\\x\"}},{\"Name\":\"weekly\"},{\"Name\":\"hourly\"}]}", 3,
          "{\"ContinuationToken\":\"t1\",\"Items\":[{\"Name\":\"daily\","
          "\"Storage\":{\"StorageKind\":\"FileShare\",\"Path\":\"\\\\\\\\s"
          "\\\\x\"}},{\"Name\":\"hourly\"}]}" },
        { "names compare byte for byte",
          "{\"Items\":[{\"Name\":\"Daily\"},{\"Name\":\"daily \"},"
          "{\"Name\":\"dail\"},{\"Name\":\"daily\"}]}", 3,
          "{\"Items\":[{\"Name\":\"daily\"}]}" },
        { "items without a string Name are dropped",
          "{\"Items\":[{\"Name\":1},{\"name\":\"daily\"},\"daily\",null,"
          "[\"daily\"],{\"Name\":\"hourly\"}]}", 3,
          "{\"Items\":[{\"Name\":\"hourly\"}]}" },
        { "order of members kept, unknown members kept",
          "{\"Items\":[{\"Name\":\"daily\"}],\"ContinuationToken\":null,"
          "\"Extra\":[1,2.5,true]}", 3,
          "{\"Items\":[{\"Name\":\"daily\"}],\"ContinuationToken\":null,"
          "\"Extra\":[1,2.5,true]}" },
        { "a non-ASCII name, printed ASCII",
          "{\"Items\":[{\"Name\":\"caf\\u00e9\"},{\"Name\":\"cafe\"}]}", 3,
          "{\"Items\":[{\"Name\":\"caf\\u00E9\"}]}" },
        { "n == 0 keeps none",
          "{\"ContinuationToken\":\"\",\"Items\":[{\"Name\":\"daily\"}]}", 0,
          "{\"ContinuationToken\":\"\",\"Items\":[]}" },
        { "an empty list stays empty", "{\"Items\":[]}", 3,
          "{\"Items\":[]}" },
        { "not JSON", "<html>500</html>", 3, NULL },
        { "JSON cut short", "{\"Items\":[{\"Name\":\"daily\"}", 3, NULL },
        { "an array, not an object", "[{\"Name\":\"daily\"}]", 3, NULL },
        { "Items missing", "{\"ContinuationToken\":\"\"}", 3, NULL },
        { "Items not an array", "{\"Items\":{\"Name\":\"daily\"}}", 3,
          NULL },
        { "a member given twice",
          "{\"Items\":[{\"Name\":\"daily\"}],\"Items\":[]}", 3, NULL },
        { "an empty answer", "", 3, NULL }
    };

    for (i = 0; i < N(cases); i++) {
        n = 12345;
        out = sfb_filter_policy_list(U(cases[i].in), names, cases[i].n, &n);

        if (cases[i].out == NULL) {
            ok(out == NULL, "policy list, %s: NULL", cases[i].name);
            free(out);
            continue;
        }

        if (out == NULL) {
            ok(0, "policy list, %s: NULL", cases[i].name);
            continue;
        }

        is_mem(out, n, cases[i].out, "policy list, %s", cases[i].name);
        ok(strlen(out) == n, "... NUL-ended at *out_len");
        free(out);
    }
}


static void
test_entity_filter(void)
{
    char            *out;
    size_t           i, n;
    static const sfb_str_t  team_a[] = { S("fabric:/TeamA") };
    static const sfb_str_t  two[] = { S("fabric:/TeamB"),
                                      S("FABRIC:/Shared/Reports") };
    static const struct {
        const char        *name;
        const char        *in;
        const sfb_str_t   *scope;
        size_t             n;
        const char        *out;
    } cases[] = {
        { "an application, its service, another team's partition",
          "{\"ContinuationToken\":\"t\",\"Items\":["
          "{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamA\"},"
          "{\"EntityKind\":\"Service\",\"ServiceName\":"
          "\"fabric:/TeamA/Orders\"},"
          "{\"EntityKind\":\"Partition\",\"ServiceName\":\"fabric:/TeamB/X\","
          "\"PartitionId\":\"" UUID "\"},"
          "{\"EntityKind\":\"Partition\",\"ServiceName\":"
          "\"fabric:/TeamA/Orders\",\"PartitionId\":\"" UUID "\"}]}",
          team_a, 1,
          "{\"ContinuationToken\":\"t\",\"Items\":["
          "{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamA\"},"
          "{\"EntityKind\":\"Service\",\"ServiceName\":"
          "\"fabric:/TeamA/Orders\"},"
          "{\"EntityKind\":\"Partition\",\"ServiceName\":"
          "\"fabric:/TeamA/Orders\",\"PartitionId\":\"" UUID "\"}]}" },
        { "the name the kind says, no other",
          "{\"Items\":["
          "{\"EntityKind\":\"Application\",\"ServiceName\":"
          "\"fabric:/TeamA/x\"},"
          "{\"EntityKind\":\"Service\",\"ApplicationName\":\"fabric:/TeamA\"},"
          "{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamB\",\"ServiceName\":\"fabric:/TeamA/x\"}]}",
          team_a, 1, "{\"Items\":[]}" },
        { "a segment boundary, case, invalid names, unknown kinds",
          "{\"Items\":["
          "{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamAB\"},"
          "{\"EntityKind\":\"Service\",\"ServiceName\":\"fabric:/teama/x\"},"
          "{\"EntityKind\":\"Service\",\"ServiceName\":\"fabric:/TeamA/\"},"
          "{\"EntityKind\":\"service\",\"ServiceName\":\"fabric:/TeamA/x\"},"
          "{\"EntityKind\":\"Cluster\"},{\"EntityKind\":1},7,"
          "{\"EntityKind\":\"Service\",\"ServiceName\":null},"
          "{\"EntityKind\":\"Service\",\"ServiceName\":\"Fabric:/TeamA/y\"}"
          "]}", team_a, 1,
          "{\"Items\":[{\"EntityKind\":\"Service\",\"ServiceName\":"
          "\"Fabric:/TeamA/y\"}]}" },
        { "a scope of two names",
          "{\"Items\":["
          "{\"EntityKind\":\"Service\",\"ServiceName\":"
          "\"fabric:/Shared/Reports/Daily\"},"
          "{\"EntityKind\":\"Service\",\"ServiceName\":\"fabric:/Shared/X\"},"
          "{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamB\"}]}", two, 2,
          "{\"Items\":[{\"EntityKind\":\"Service\",\"ServiceName\":"
          "\"fabric:/Shared/Reports/Daily\"},"
          "{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamB\"}]}" },
        { "n == 0 keeps none",
          "{\"Items\":[{\"EntityKind\":\"Application\",\"ApplicationName\":"
          "\"fabric:/TeamA\"}],\"ContinuationToken\":\"t\"}", team_a, 0,
          "{\"Items\":[],\"ContinuationToken\":\"t\"}" },
        { "not JSON", "{\"Items\":", team_a, 1, NULL },
        { "Items missing", "{\"ContinuationToken\":null}", team_a, 1, NULL },
        { "Items null", "{\"Items\":null}", team_a, 1, NULL },
        { "a string, not an object", "\"Items\"", team_a, 1, NULL }
    };

    for (i = 0; i < N(cases); i++) {
        n = 12345;
        out = sfb_filter_entity_list(U(cases[i].in), cases[i].scope,
                                     cases[i].n, &n);

        if (cases[i].out == NULL) {
            ok(out == NULL && n == 0, "entity list, %s: NULL",
               cases[i].name);
            free(out);
            continue;
        }

        if (out == NULL) {
            ok(0, "entity list, %s: NULL", cases[i].name);
            continue;
        }

        is_mem(out, n, cases[i].out, "entity list, %s", cases[i].name);
        free(out);
    }
}
