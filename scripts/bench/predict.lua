-- wrk script of scripts/bench.sh: POST /predict with varied feature vectors.
-- 1,000 request bodies are generated once from a fixed seed (a small LCG, so every wrk build sends the
-- same ones) and formatted at start-up, so the load generator does no work per request; each wrk
-- thread starts at its own offset. At the end it prints one line "BENCH_RESULT {json}".
-- BENCH_REQUESTS=N (environment): every thread stops sending after N answers (the memory check uses it;
-- wrk itself still waits for its -d duration, so bench.sh ends it once the service has counted them).

local count = 1000
local requests = {}
local seed = 42

local function uniform()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end

-- In init, not at load time: wrk sets the Host header just before it calls init.
function init(args)
  for i = 1, count do
    local f = {}
    for k = 1, 5 do
      f[k] = string.format("%.4f", uniform() * 1.5)
    end
    requests[i] = wrk.format("POST", "/predict", { ["Content-Type"] = "application/json" },
      '{"features":[' .. table.concat(f, ",") .. ']}')
  end
end

local threads = {}
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("offset", thread_id * 331)
  table.insert(threads, thread)
end

local next_index = 0
function request()
  next_index = (next_index + 1) % count
  return requests[(next_index + offset) % count + 1]
end

local limit = tonumber(os.getenv("BENCH_REQUESTS") or "")
if limit then
  local answered = 0
  function response(status, headers, body)
    answered = answered + 1
    if answered >= limit then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.4f,"p90_ms":%.4f,"p99_ms":%.4f,"max_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
