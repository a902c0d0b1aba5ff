-- Saves through the JSON API: a desk officer logs a decision on a track (the proposer's
-- sign-off comes with it), then a second department's officer signs it off.
-- wrk ... -s save.lua URL -- DESK_TOKEN SIGNER_TOKEN 12,42,72 2026-11-30
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
require "common"

local tracks, day, n = {}, "", 0
local signer = {}
local pending = {}
saves, decisions, failed = 0, 0, 0

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  signer = {["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json"}
  tracks = split(args[3], ",")
  day = args[4]
end

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", "/api/v1/decisions/" .. id .. "/signoff", signer, "{}")
  end
  n = n + 1
  local track = tracks[(n % #tracks) + 1]
  local body = string.format(
    '{"text":"Send a technical team to the site, round %d","kind":"other","date":"%s","touches":[]}', n, day)
  return wrk.format("POST", "/api/v1/initiatives/" .. track .. "/decisions", nil, body)
end

function response(status, headers, body)
  count_status(status)
  if status == 201 then
    if body:find('"entry_type":"decision"', 1, true) then
      decisions = decisions + 1
      table.insert(pending, body:match('"id":(%d+)'))
    elseif body:find('"entry_type":"signoff"', 1, true) then
      saves = saves + 1
    end
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  summary_json(summary, latency, {"saves", "decisions", "failed"})
end
