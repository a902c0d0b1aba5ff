-- Shared by the bench's wrk scripts: per-thread status counts and one JSON summary line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

statuses = {}

function count_status(status)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
end

function summary_json(summary, latency, sums)
  local counts, totals = {}, {}
  for _, name in ipairs(sums or {}) do
    totals[name] = 0
    for _, t in ipairs(threads) do totals[name] = totals[name] + (t:get(name) or 0) end
  end
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do counts[k] = (counts[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(counts) do table.insert(parts, string.format('"%s":%d', k, v)) end
  local e = summary.errors
  local out = string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d},"statuses":{%s}',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, table.concat(parts, ","))
  for name, v in pairs(totals) do out = out .. string.format(',"%s":%d', name, v) end
  io.write("BENCH-JSON " .. out .. "}\n")
end

function split(s, sep)
  local out = {}
  for piece in string.gmatch(s or "", "([^" .. sep .. "]+)") do table.insert(out, piece) end
  return out
end
