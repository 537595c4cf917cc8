-- Runs an Argo CD health script as Argo CD does (argo-cd util/lua/lua.go, runLua): the resource in the global `obj`,
-- only the base, table and a read-only os library open (no string library: useOpenLibs is off by default), the
-- chunk's return value read as {status, message} and checked against Argo CD's health statuses.
-- usage: lua5.4 harness.lua SCRIPT OBJECT_FILE   (OBJECT_FILE holds one Lua table literal: the resource)
-- prints the status on the first line and the message on the rest; exits non-zero when the script is not usable.
local script_path, object_path = arg[1], arg[2]

local function read(path)
  local file = assert(io.open(path, "r"))
  local text = file:read("a")
  file:close()
  return text
end

local object = assert(load("return " .. read(object_path), "@" .. object_path, "t", {}))()

local sandbox = {
  obj = object,
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall, print = print,
  rawequal = rawequal, rawget = rawget, rawset = rawset, select = select, tonumber = tonumber, tostring = tostring,
  type = type, unpack = table.unpack,
  table = { concat = table.concat, insert = table.insert, remove = table.remove, sort = table.sort },
  os = { clock = os.clock, date = os.date, difftime = os.difftime, time = os.time },
}
local chunk = assert(load(read(script_path), "@" .. script_path, "t", sandbox))

-- Without the string library, gopher-lua's strings have no methods (s:find, s:sub): take them away here too.
local strings = getmetatable("")
local methods = strings.__index
strings.__index = nil
local ok, result = pcall(chunk)
strings.__index = methods

if not ok then
  io.stderr:write("the script failed: ", tostring(result), "\n")
  os.exit(3)
end
if type(result) ~= "table" then
  io.stderr:write("the script returned a ", type(result), ", not a table\n")
  os.exit(4)
end

local valid = { Healthy = true, Progressing = true, Degraded = true, Suspended = true, Missing = true, Unknown = true }
if not valid[result.status] then
  io.stderr:write("the script returned status ", tostring(result.status), ", which Argo CD turns into Unknown\n")
  os.exit(5)
end
if result.message ~= nil and type(result.message) ~= "string" then
  io.stderr:write("the script returned a ", type(result.message), " message\n")
  os.exit(6)
end

io.write(result.status, "\n", result.message or "")
