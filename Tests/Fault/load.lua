-- wrk script of the fault suite (Tests/Fault/faultsuite.py): one kind of normal traffic per wrk
-- process, so that every failure is attributed to idempotent GETs or to POSTs.
--   wrk -s load.lua URL -- MODE [DELAY_MS]
-- MODE "get" alternates GET /api/similar (a few titles) and GET /api/health; MODE "post" sends
-- POST /api/predict with a 5-movie body. DELAY_MS (default 0) is the mean pause before each request.
-- Run with many connections, each pausing DELAY_MS: together they send a steady rate far below
-- the pool's capacity, like many independent users. wrk's percentiles correct for coordinated
-- omission (a stalled connection counts the requests it could not send), so a stall of the
-- whole pool raises p99 while one stuck request among hundreds of connections does not.
-- done() prints one line "FAULT-RESULT {json}" with the counts and latency percentiles (µs):
-- wrong counts 200 answers that are empty or non-numeric lists ([[],[]], NaN, null, inf), and
-- unavailable counts 503 answers whose body is the API's invalid_model/no_model error.
local threads = {}

local similar = {
    "/api/similar?movie_name=Toy%20Story&n=5",
    "/api/similar?movie_name=Heat%20(1995)&n=5",
    "/api/similar?movie_name=Fargo&n=10",
    "/api/similar?movie_name=Star%20Wars%3A%20Episode%20IV%20-%20A%20New%20Hope&n=5",
}
local predict_body = '[["Toy Story (1995)","Heat (1995)","Lord of the Rings",'
    .. '"Star Wars: Episode IV - A New Hope","Fargo (1996)"],[5,4,5,4,3]]'

local seed = 0

function setup(thread)
    seed = seed + 1
    thread:set("thread_seed", seed)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(os.time() + (thread_seed or 0) * 7919)
    mode = args[1] or "get"
    pause = tonumber(args[2] or "0")
    counter = 0
    wrong = 0
    unavailable = 0
    other_errors = 0
    sample = ""
end

-- Uniform in [0.5, 1.5] x DELAY_MS: the connections drift apart instead of sending in bursts.
function delay()
    return pause * (0.5 + math.random())
end

function request()
    counter = counter + 1
    if mode == "post" then
        return wrk.format("POST", "/api/predict", { ["Content-Type"] = "application/json" }, predict_body)
    end
    if counter % 2 == 0 then
        return wrk.format("GET", "/api/health")
    end
    return wrk.format("GET", similar[math.floor(counter / 2) % #similar + 1])
end

local function is_wrong(body)
    if body:sub(1, 1) ~= "[" then return false end
    if body:find("^%[%[%]") then return true end
    local lower = body:lower()
    return lower:find("nan") ~= nil and lower:find("[,%[]%-?nan[,%]]") ~= nil
        or lower:find("[,%[]null[,%]]") ~= nil or lower:find("[,%[]%-?inf") ~= nil
end

function response(status, headers, body)
    if status == 200 then
        if is_wrong(body) then
            wrong = wrong + 1
            if sample == "" then sample = body:sub(1, 120) end
        end
    elseif status == 503 and (body:find('"invalid_model"') or body:find('"no_model"')
            or body:find('"status":%s*"unavailable"')) then
        unavailable = unavailable + 1
    elseif status >= 400 then
        other_errors = other_errors + 1
        if sample == "" then sample = status .. " " .. body:sub(1, 120) end
    end
end

function done(summary, latency, requests)
    local w, u, o, s = 0, 0, 0, ""
    for _, thread in ipairs(threads) do
        w = w + thread:get("wrong")
        u = u + thread:get("unavailable")
        o = o + thread:get("other_errors")
        local ts = thread:get("sample")
        if s == "" and ts then s = ts end
    end
    local e = summary.errors
    io.write(string.format('FAULT-RESULT {"completed":%d,"status_errors":%d,"connect":%d,"read":%d,'
        .. '"write":%d,"timeout":%d,"wrong":%d,"unavailable":%d,"other_errors":%d,'
        .. '"p50_us":%d,"p99_us":%d,"max_us":%d,"sample":"%s"}\n',
        summary.requests, e.status, e.connect, e.read, e.write, e.timeout, w, u, o,
        latency:percentile(50), latency:percentile(99), latency.max,
        s:gsub('[\\"]', "'"):gsub("[%c]", " ")))
end
