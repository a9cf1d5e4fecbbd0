/*
 * sf-backup-gate: the backup and restore surface as a table, one row per
 * call (sfb_routes[]), and what a row says: its method, parameters, body
 * and operation.  Which row a path names is sfb_path.c's.
 */

#include <string.h>

#include "sfb_route.h"
#include "sfb_types.h"


#define SFB_P    SFB_ENTITY_BIT(SFB_ENTITY_PARTITION)
#define SFB_E    SFB_ENTITIES
#define SFB_POL  SFB_ENTITY_BIT(SFB_ENTITY_POLICY)
#define SFB_ROOT SFB_ENTITY_BIT(SFB_ENTITY_BACKUP_RESTORE)
#define SFB_PAGE (SFB_Q_CONTINUATION | SFB_Q_MAX_RESULTS)
#define SFB_DATE (SFB_Q_LATEST | SFB_Q_START | SFB_Q_END)

/*
 * The backup and restore calls on an entity (../shared/reference:
 * backup-restore-api.md), one row each: a new call is a new row.  The
 * first row is the seed's call, which sfb_match_path() finds without
 * walking the table.
 */
static const sfb_route_t  sfb_routes[] = {

    { "EnableBackup", "enablebackup", "EnableBackup", SFB_E, 1, 0,
      SFB_METHOD_POST, 0, 0, SFB_BODY_ENABLE, SFB_OP_ENABLE, SFB_API_6_4 },

    { "DisableBackup", "disablebackup", "DisableBackup", SFB_E, 1, 0,
      SFB_METHOD_POST, 0, 0, SFB_BODY_DISABLE, SFB_OP_DISABLE, SFB_API_6_4 },

    { "SuspendBackup", "suspendbackup", "SuspendBackup", SFB_E, 1, 0,
      SFB_METHOD_POST, 0, 0, SFB_BODY_NONE, SFB_OP_SUSPEND, SFB_API_6_4 },

    { "ResumeBackup", "resumebackup", "ResumeBackup", SFB_E, 1, 0,
      SFB_METHOD_POST, 0, 0, SFB_BODY_NONE, SFB_OP_RESUME, SFB_API_6_4 },

    { "GetBackupConfigurationInfo", "getbackupconfigurationinfo",
      "GetBackupConfigurationInfo", SFB_E, 1, 0, SFB_METHOD_GET, 0,
      SFB_PAGE, SFB_BODY_NONE, SFB_OP_READ, SFB_API_6_4 },

    /* a partition's list has no paging in the specification, yet its
     * 8.1 and 8.2 examples page it: the cluster takes both */
    { "GetBackups", "getbackups", "GetBackups", SFB_E, 1, 0, SFB_METHOD_GET,
      SFB_DATE | SFB_PAGE, 0, SFB_BODY_NONE, SFB_OP_READ, SFB_API_6_4 },

    { "Backup", "backup", "Backup", SFB_P, 1, 0, SFB_METHOD_POST,
      SFB_Q_BACKUP_TIMEOUT, 0, SFB_BODY_BACKUP, SFB_OP_BACKUP, SFB_API_6_4 },

    { "GetBackupProgress", "getbackupprogress", "GetBackupProgress", SFB_P,
      1, 0, SFB_METHOD_GET, 0, 0, SFB_BODY_NONE, SFB_OP_READ, SFB_API_6_4 },

    /* 9.1: Latest=true and no body restores the latest backup */
    { "Restore", "restore", "Restore", SFB_P, 1, 0, SFB_METHOD_POST,
      SFB_Q_RESTORE_TIMEOUT | SFB_Q_LATEST, 0, SFB_BODY_RESTORE, SFB_OP_RESTORE,
      SFB_API_6_4 },

    { "GetRestoreProgress", "getrestoreprogress", "GetRestoreProgress",
      SFB_P, 1, 0, SFB_METHOD_GET, 0, 0, SFB_BODY_NONE, SFB_OP_READ,
      SFB_API_6_4 },

    /* 9.1: a data loss restores nothing automatically (a restore's choice) */
    { "SkipAutoRestore", "skipautorestore", "SkipAutoRestore", SFB_P, 1, 0,
      SFB_METHOD_POST, SFB_Q_RESTORE_TIMEOUT, 0, SFB_BODY_NONE,
      SFB_OP_RESTORE, SFB_API_9_1 },

    /* the Backup Restore service's own calls, under /BackupRestore/ */

    { NULL, NULL, "GetBackupPolicyList", SFB_POL, 0, 1, SFB_METHOD_GET,
      SFB_PAGE, 0, SFB_BODY_NONE, SFB_OP_READ, SFB_API_6_4 },

    { NULL, NULL, "GetBackupPolicyByName", SFB_POL, 1, 1, SFB_METHOD_GET, 0,
      0, SFB_BODY_NONE, SFB_OP_READ, SFB_API_6_4 },

    { "GetBackupEnabledEntities", "getbackupenabledentities",
      "GetBackupEnabledEntities", SFB_POL, 1, 0, SFB_METHOD_GET, SFB_PAGE,
      0, SFB_BODY_NONE, SFB_OP_READ, SFB_API_6_4 },

    /* 8.0: ValidateConnection checks the storage before saving */
    { "Create", "create", "CreateBackupPolicy", SFB_POL, 0, 0,
      SFB_METHOD_POST, SFB_Q_VALIDATE, 0, SFB_BODY_POLICY, SFB_OP_POLICY, SFB_API_6_4 },

    { "Update", "update", "UpdateBackupPolicy", SFB_POL, 1, 0,
      SFB_METHOD_POST, SFB_Q_VALIDATE, 0, SFB_BODY_POLICY, SFB_OP_POLICY, SFB_API_6_4 },

    { "Delete", "delete", "DeleteBackupPolicy", SFB_POL, 1, 0,
      SFB_METHOD_POST, 0, 0, SFB_BODY_NONE, SFB_OP_POLICY, SFB_API_6_4 },

    { "GetBackups", "getbackups", "GetBackupsFromBackupLocation", SFB_ROOT,
      0, 0, SFB_METHOD_POST, SFB_PAGE, 0, SFB_BODY_STORAGE_QUERY,
      SFB_OP_STORAGE_QUERY, SFB_API_6_4 }
};


/* what the specification declares, by sfb_api_e */
static const sfb_str_t  sfb_api_6_4[] = {
    sfb_str_lit(SFB_API_VERSION_DEFAULT), sfb_str_lit("6.4")
};

static const sfb_str_t  sfb_api_9_1[] = {
    sfb_str_lit("9.1")
};


static const char  *sfb_operation_names[SFB_OP__COUNT] = {
    "", "enable", "disable", "suspend", "resume", "backup", "restore",
    "read", "policy", "storage_query", "clean", "storage"
};


const char *
sfb_operation_name(sfb_operation_e op)
{
    return (unsigned) op < SFB_OP__COUNT ? sfb_operation_names[op] : "";
}


sfb_operation_e
sfb_operation_by_name(const unsigned char *name, size_t len)
{
    size_t  i;

    for (i = 1; i < SFB_OP__COUNT; i++) {
        if (strlen(sfb_operation_names[i]) == len
            && memcmp(sfb_operation_names[i], name, len) == 0)
        {
            return (sfb_operation_e) i;
        }
    }

    return SFB_OP_NONE;
}


const char *
sfb_entity_path_name(sfb_entity_e entity)
{
    switch (entity) {
    case SFB_ENTITY_PARTITION:
        return "Partitions";
    case SFB_ENTITY_SERVICE:
        return "Services";
    case SFB_ENTITY_APPLICATION:
        return "Applications";
    default:
        return "";
    }
}


const sfb_route_t *
sfb_route_enable(void)
{
    return &sfb_routes[0];
}


int
sfb_method_allowed(const sfb_route_t *route, const unsigned char *method,
    size_t len)
{
    const char  *m;

    m = sfb_route_method(route);

    return len == strlen(m) && memcmp(method, m, len) == 0;
}


const char *
sfb_route_method(const sfb_route_t *route)
{
    return (route && route->method == SFB_METHOD_GET) ? "GET" : "POST";
}


unsigned
sfb_route_params(const sfb_route_t *route, sfb_entity_e entity)
{
    if (route == NULL) {
        return 0;
    }

    return route->query
           | (entity == SFB_ENTITY_PARTITION ? 0 : route->query_named);
}


int
sfb_body_required(const sfb_route_t *route)
{
    /* a restore's is optional with Latest=true (9.1) */
    return route == NULL || route->body == SFB_BODY_ENABLE;
}


const sfb_route_t *
sfb_route_at(size_t i)
{
    return i < sizeof(sfb_routes) / sizeof(sfb_routes[0]) ? &sfb_routes[i]
                                                          : NULL;
}


const sfb_str_t *
sfb_route_api_versions(const sfb_rules_t *rules, const sfb_route_t *route,
    size_t *n)
{
    if (rules->api_versions != NULL) {
        *n = rules->n_api_versions;
        return rules->api_versions;
    }

    if (route != NULL && route->api == SFB_API_9_1) {
        *n = sizeof(sfb_api_9_1) / sizeof(sfb_api_9_1[0]);
        return sfb_api_9_1;
    }

    *n = sizeof(sfb_api_6_4) / sizeof(sfb_api_6_4[0]);
    return sfb_api_6_4;
}
