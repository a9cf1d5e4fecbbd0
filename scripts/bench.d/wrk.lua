-- wrk -s script for scripts/bench: POSTs the seed's EnableBackup call to the
-- URL given to wrk (path and query come from there), and ends with one
-- machine-readable "sfb-wrk ..." line that scripts/bench.d/load parses.
--
-- Environment (read once, when wrk loads the script):
--   SFB_BENCH_POLICY      BackupPolicyName (default DailyAzureBackupPolicy)
--   SFB_BENCH_BODY_SIZE   pad the body with blanks to this many bytes
--   SFB_BENCH_STOP_AFTER  stop after this many responses (memory runs)
--   SFB_BENCH_BODY_FILE   send this file's bytes as the body instead

local policy = os.getenv("SFB_BENCH_POLICY") or "DailyAzureBackupPolicy"
local size = tonumber(os.getenv("SFB_BENCH_BODY_SIZE") or "") or 0
local stop_after = tonumber(os.getenv("SFB_BENCH_STOP_AFTER") or "")

local member = '"BackupPolicyName":"' .. policy .. '"'
local body = "{" .. member .. "}"

if size > #body then
    -- still one valid object: the blanks are JSON whitespace
    body = "{" .. string.rep(" ", size - #body) .. member .. "}"
end

local body_file = os.getenv("SFB_BENCH_BODY_FILE")

if body_file then
    local f = assert(io.open(body_file, "rb"))
    body = f:read("*a")
    f:close()
end

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

if stop_after then
    -- counting needs the response callback, which costs wrk some speed:
    -- only the memory runs use it.  wrk would wait out its -d even after
    -- wrk.thread:stop(), so the count is reported here and wrk leaves.
    local seen, unexpected = 0, 0

    function response(status, headers, body)
        seen = seen + 1
        if status ~= 202 then
            unexpected = unexpected + 1
        end
        if seen >= stop_after then
            io.write(string.format(
                "sfb-wrk requests=%d duration_us=0 p50_us=0 p99_us=0 "
                .. "connect=0 read=0 write=0 status=%d timeout=0 body=%d\n",
                seen, unexpected, #wrk.body))
            io.flush()
            os.exit(0)
        end
    end
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "sfb-wrk requests=%d duration_us=%d p50_us=%d p99_us=%d "
        .. "connect=%d read=%d write=%d status=%d timeout=%d body=%d\n",
        summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(99),
        e.connect, e.read, e.write, e.status, e.timeout, #wrk.body))
end
