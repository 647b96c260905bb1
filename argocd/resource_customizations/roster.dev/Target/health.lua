-- Argo CD health of a roster.dev Target (a connected system). Reads what Roster writes:
-- status.observedGeneration, the conditions Connected / Synced / Ready and status.counts.
-- Observe and Plan modes are Healthy: they are a chosen way of running, not a fault, and a
-- Target must be Healthy for the sync wave of its Users and grants to start.
-- Lua 5.1, as Argo CD embeds it.
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

local status = obj.status
if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Roster's first sync of the Target."
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Roster has not yet observed generation " .. generation .. " (last observed " .. status.observedGeneration .. ")."
  return hs
end

-- Not connected, a failed sync, or disables/deletes held back by the safety limits.
for _, kind in ipairs({ "Connected", "Synced" }) do
  local c = condition(status, kind)
  if c ~= nil and c.status == "False" then
    hs.status = "Degraded"
    hs.message = c.reason .. ": " .. c.message
    return hs
  end
end

local failed = status.counts and status.counts.failed or 0
if failed > 0 then
  hs.status = "Degraded"
  hs.message = failed .. " account(s) failed; the Users' status.accounts[].lastError says why."
  return hs
end

local ready = condition(status, "Ready")
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Roster's first sync of the Target."
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = ready.message
return hs
