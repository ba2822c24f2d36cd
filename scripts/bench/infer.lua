-- wrk script of scripts/bench/infer.sh: POST /v2/models/churn/infer with batches of BENCH_ROWS rows.
-- 100 request bodies are generated once from a fixed seed (the LCG of predict.lua, so every wrk build
-- sends the same ones), in init, so the load generator does no work per request; each wrk thread
-- starts at its own offset. At the end it prints one line "BENCH_RESULT {json}" with requests and rows.

local count = 100
local rows = tonumber(os.getenv("BENCH_ROWS") or "1")
local requests = {}
local seed = 42

local function uniform()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end

function init(args)
  for i = 1, count do
    local f = {}
    for k = 1, rows * 5 do
      f[k] = string.format("%.4f", uniform() * 1.5)
    end
    local body = '{"inputs":[{"name":"features","shape":[' .. rows .. ',5],"datatype":"FP64","data":[' ..
      table.concat(f, ",") .. ']}]}'
    requests[i] = wrk.format("POST", "/v2/models/churn/infer", { ["Content-Type"] = "application/json" }, body)
  end
end

local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("offset", thread_id * 37)
end

local next_index = 0
function request()
  next_index = (next_index + 1) % count
  return requests[(next_index + offset) % count + 1]
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"rows_per_s":%.1f,"p50_ms":%.4f,"p99_ms":%.4f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.requests * rows / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
