-- wrk script for bench/serve.sh: GET /api/recommend for a random training user of the
-- embedded MovieLens-1M split (ids 1 to 6040, or 1 to $REC_BENCH_USERS) on every request, so the
-- benchmark reads every user's stored list rather than one cached page.
math.randomseed(42)
local users = tonumber(os.getenv("REC_BENCH_USERS") or "") or 6040

request = function()
    return wrk.format("GET", "/api/recommend?user_id=" .. math.random(1, users) .. "&top=20")
end
