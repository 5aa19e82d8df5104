-- wrk script for `make bench` (content/bench/wrk.py runs it).
--
-- Arguments after `--`: MODE NONCE PATH...
--   MODE "same":   every request asks for a path as given (a cache may answer);
--   MODE "unique": each request adds `_=<nonce>-<thread>-<n>`, a parameter the pages
--                  ignore, so that no two requests share a cache key.
-- Requests cycle through the paths. At the end one machine-readable line is printed:
--   RESULT requests=... seconds=... rps=... p50=... p95=... p99=... max=... (ms)
--          connect=... read=... write=... status=... timeout=...
local mode = "same"
local nonce = "0"
local paths = {}
local counter = 0
local tid = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  mode = args[1] or "same"
  nonce = args[2] or "0"
  for i = 3, #args do
    paths[#paths + 1] = args[i]
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  tid = wrk.thread:get("tid") or 0
end

function request()
  counter = counter + 1
  local path = paths[(counter - 1) % #paths + 1]
  if mode == "unique" then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_=" .. nonce .. "-" .. tid .. "-" .. counter
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50=%.2f p95=%.2f p99=%.2f max=%.2f "
      .. "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout
  ))
end
