-- Argo CD health check for proxyoperator.io/GoModuleProxy (argocd-cm key
-- resource.customizations.health.proxyoperator.io_GoModuleProxy). Argo CD sets the global `obj` to the resource
-- and reads the table this returns. Only Lua's base and table libraries are used (Argo CD's default sandbox has no
-- string library), in Lua 5.1 syntax (Argo CD runs gopher-lua).
local hs = {}

local function find(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if condition.type == type then
      return condition
    end
  end
  return nil
end

local function is(condition, status)
  return condition ~= nil and condition.status == status
end

local function say(condition, fallback)
  if condition ~= nil and condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return fallback
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Being deleted"
  return hs
end

local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report the proxy's status"
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile generation " .. generation
  return hs
end

local ready = find(status.conditions, "Ready")
local progressing = find(status.conditions, "Progressing")
local degraded = find(status.conditions, "Degraded")

-- The operator's own verdict first: a spec it rejects, pods that cannot run, a stalled rollout.
if is(degraded, "True") then
  hs.status = "Degraded"
  hs.message = say(degraded, "Degraded")
  return hs
end

-- A spec the operator cannot act on, even from an operator version that did not set Degraded for it.
if is(ready, "False") and (ready.reason == "InvalidSpec" or ready.reason == "SecretNotFound") then
  hs.status = "Degraded"
  hs.message = say(ready, ready.reason)
  return hs
end

if is(progressing, "True") then
  hs.status = "Progressing"
  hs.message = say(progressing, "Rolling out")
  return hs
end

if is(ready, "True") then
  -- Rolled out and serving, but not as well as it should: without a store nothing is cached, without an upstream
  -- nothing new can be fetched. Unknown (no pod answered yet, or offline mode) is not held against it.
  local storage = find(status.conditions, "StorageReady")
  local upstream = find(status.conditions, "UpstreamReachable")
  if is(storage, "False") then
    hs.status = "Degraded"
    hs.message = say(storage, "The proxies cannot write to their storage")
    return hs
  end
  if is(upstream, "False") then
    hs.status = "Degraded"
    hs.message = say(upstream, "The proxies cannot reach their upstream")
    return hs
  end
  hs.status = "Healthy"
  hs.message = say(ready, "Ready")
  return hs
end

if is(ready, "False") and ready.reason == "ScaledToZero" then
  hs.status = "Suspended"
  hs.message = say(ready, "Scaled to zero replicas")
  return hs
end

-- Not ready, not rolling out and not degraded by the operator's own verdict: pods that answer GET /status badly.
if is(ready, "False") then
  hs.status = "Degraded"
  hs.message = say(ready, "Not ready")
  return hs
end

hs.status = "Progressing"
hs.message = say(ready, "Waiting for the Ready condition")
return hs
