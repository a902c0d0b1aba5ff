-- GET one of the given paths in turn, with the given headers.
-- wrk ... -s get.lua URL -- /path/1,/path/2 "Header: value" ...
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
require "common"

local paths, n = {}, 0

function init(args)
  paths = split(args[1], ",")
  for i = 2, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

function response(status, headers, body)
  count_status(status)
end

function done(summary, latency, requests)
  summary_json(summary, latency)
end
