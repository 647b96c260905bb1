-- Argo CD health of a roster.dev User (cluster-scoped person). Reads only what Roster writes:
-- status.observedGeneration, the kstatus conditions Ready / Reconciling / Stalled and
-- status.accounts[]. Lua 5.1, as Argo CD embeds it; no os or io library.
local hs = {}

local function condition(status, kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

-- Seconds since 1970-01-01T00:00:00Z of an RFC 3339 timestamp, or nil.
local function epoch(ts)
  if type(ts) ~= "string" then
    return nil
  end
  local y, mo, d, h, mi, s, zone = string.match(ts, "^(%d%d%d%d)%-(%d%d)%-(%d%d)[Tt](%d%d):(%d%d):(%d%d)(.*)$")
  if y == nil then
    return nil
  end
  zone = string.gsub(zone, "^%.%d+", "")
  local offset = 0
  if zone ~= "Z" and zone ~= "z" then
    local sign, oh, om = string.match(zone, "^([+-])(%d%d):(%d%d)$")
    if sign == nil then
      return nil
    end
    offset = (tonumber(oh) * 60 + tonumber(om)) * 60
    if sign == "-" then
      offset = -offset
    end
  end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  if mo <= 2 then
    y = y - 1
  end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + d - 1
  local days = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
  return days * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s) - offset
end

-- The last instant Roster looked at this User: its newest account sync, else the Ready transition.
local function lastSeen(status, ready)
  local newest = nil
  for _, account in ipairs(status.accounts or {}) do
    local at = epoch(account.lastSyncTime)
    if at ~= nil and (newest == nil or at > newest) then
      newest = at
    end
  end
  if newest == nil and ready ~= nil then
    newest = epoch(ready.lastTransitionTime)
  end
  return newest
end

local status = obj.status
if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Roster to reconcile the User."
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Roster has not yet observed generation " .. generation .. " (last observed " .. status.observedGeneration .. ")."
  return hs
end

local stalled = condition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message
  return hs
end
for _, account in ipairs(status.accounts or {}) do
  if account.state == "Failed" or account.state == "Conflict" then
    hs.status = "Degraded"
    hs.message = "The account in " .. account.target .. " is " .. account.state .. ": " .. (account.lastError or "no detail") .. "."
    return hs
  end
end

local reconciling = condition(status, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = reconciling.message
  return hs
end

local spec = obj.spec or {}
if spec.state == "Suspended" then
  hs.status = "Suspended"
  hs.message = "The User is suspended: accounts are kept, disabled."
  return hs
end

local ready = condition(status, "Ready")
local starts = epoch(spec.startDate)
local seen = lastSeen(status, ready)
if (spec.state == nil or spec.state == "Active") and starts ~= nil and seen ~= nil and starts > seen then
  hs.status = "Progressing"
  hs.message = "Starts at " .. spec.startDate .. ": accounts are created disabled until then."
  return hs
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Roster to report the User's readiness."
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = ready.message
return hs
