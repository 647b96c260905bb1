-- Argo CD health of a roster.dev AccessGrant. Reads what Roster writes:
-- status.observedGeneration and the conditions Ready / Active / Expired.
-- An expired grant is Healthy: its roles were revoked, as declared. A grant whose validity
-- window has not begun is Progressing until it does. Lua 5.1, as Argo CD embeds it.
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
  hs.message = "Waiting for Roster to reconcile the AccessGrant."
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Roster has not yet observed generation " .. generation .. " (last observed " .. status.observedGeneration .. ")."
  return hs
end

local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "False" and ready.reason == "TargetNotFound" then
  hs.status = "Degraded"
  hs.message = ready.message
  return hs
end

local active = condition(status, "Active")
if active ~= nil and active.status == "False" and active.reason == "NotYetValid" then
  hs.status = "Progressing"
  local spec = obj.spec or {}
  if spec.validFrom ~= nil then
    hs.message = "The grant starts at " .. spec.validFrom .. "."
  else
    hs.message = active.message
  end
  return hs
end

local expired = condition(status, "Expired")
if expired ~= nil and expired.status == "True" then
  hs.status = "Healthy"
  hs.message = expired.message
  return hs
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Roster to report the AccessGrant's readiness."
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = ready.message
return hs
