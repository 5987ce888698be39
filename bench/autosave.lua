-- wrk script of `make bench` (bench/respondents.py): autosave POSTs from many respondents, or
-- GETs of /healthz. Each request picks a random draft (its signed resume cookie, from the file
-- BENCH_DRAFTS: "token cookie item,item,…" per line), one of its link's items and a value 1–5,
-- and sends the CSRF cookie and header the page's script sends. done() prints one JSON line.
local mode = os.getenv("BENCH_MODE") or "autosave"
local csrf = os.getenv("BENCH_CSRF")
local drafts = {}
statuses = {}  -- a global: done() reads it from each thread

local function load_drafts()
  for line in io.lines(os.getenv("BENCH_DRAFTS")) do
    local token, cookie, items = line:match("^(%S+) (%S+) (%S+)$")
    local ids = {}
    for id in items:gmatch("[^,]+") do ids[#ids + 1] = id end
    drafts[#drafts + 1] = {token = token, cookie = cookie, items = ids}
  end
end

local threads = {}

-- Paced connections (BENCH_DELAY_MS): each connection waits a random time with this mean
-- (exponential, so that connections do not move in step) after each answer before it sends
-- the next request, so that the connections together offer about a fixed rate. wrk times a
-- request from its sending, so a wait does not count as latency; a slow answer delays that
-- connection's next request (it is not an open loop in the strict sense: the rate offered
-- falls when answers slow down, which the achieved rate shows).
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if delay_ms then
  function delay()
    return math.floor(-math.log(1 - math.random()) * delay_ms)
  end
end

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  if mode == "autosave" then load_drafts() end
end

function request()
  if mode ~= "autosave" then
    return wrk.format("GET", "/healthz")
  end
  local d = drafts[math.random(#drafts)]
  local body = "item=" .. d.items[math.random(#d.items)] .. "&value=" .. math.random(1, 5)
  return wrk.format("POST", "/s/" .. d.token .. "/answer/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-CSRFToken"] = csrf,
    ["Cookie"] = "csrftoken=" .. csrf .. "; " .. d.cookie,
  }, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do counts[code] = (counts[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(counts) do parts[#parts + 1] = string.format('"%s": %d', code, n) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, '
      .. '"p99_ms": %.2f, "max_ms": %.2f, "socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
