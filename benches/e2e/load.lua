-- wrk script of the load test with live updates (issue 8), written for benches/e2e/load.py.
--
--   DAFU_ADMIN_TOKEN=… wrk -t8 -c8 -d60s --latency -s benches/e2e/load.lua http://127.0.0.1:PORT -- DIR PREFIX
--
-- Run it with as many threads as connections (-tN -cN): each wrk thread is then one client
-- with one keep-alive connection, whose requests alternate with their responses, so that a
-- response is matched to the request before it and timed per kind (wrk's own latency figures
-- are for all requests together). DIR holds what load.py prepared:
--
--   plan.txt      the kinds of a cycle of requests, one a line: search, export, new, replace,
--                 delete (each thread starts the cycle at its own line);
--   search.txt    GET paths of searches (percent-encoded), cycled;
--   export.txt    GET paths of exports, cycled;
--   new.jsonl     reply records whose id is __ID__ (and whose text ends with it), sent by
--                 POST /api/replies with a new id;
--   replace.tsv   an id the index holds, a tab and its reply record, sent as it is (a
--                 replacement);
--   out.tsv       written by done(): one line per answered request, one per error and one
--                 per reply the load may have left in the index.
--
-- New replies get the ids PREFIX-tTHREAD-N (load.py makes PREFIX unique to the run).
--
-- A delete removes the oldest reply this thread created and whose creation was answered 2xx,
-- and only this thread deletes it, so no delete can meet an id another client already removed;
-- when the thread has none to delete, it creates one instead. Writes carry the admin token
-- from the environment variable DAFU_ADMIN_TOKEN. Every request carries an x-request-id
-- (load-KIND-tTHREAD-N), which the server names in its log lines.
--
-- An error is an answer other than 2xx, a write answer that does not name its reply as
-- created, replaced or deleted, or a request that got no answer before the next one was sent
-- (its connection broke); wrk itself counts socket errors and timeouts.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } dafu_timespec;
int clock_gettime(int clk_id, dafu_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local ts = ffi.new("dafu_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

-- The main state: one entry per thread, for done().
local threads = {}
local thread_number = 0

function setup(thread)
  thread:set("id", thread_number)
  thread_number = thread_number + 1
  threads[#threads + 1] = thread
end

local function read_lines(path)
  local file = assert(io.open(path, "r"), "cannot open " .. path)
  local lines = {}
  for line in file:lines() do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  file:close()
  assert(#lines > 0, "nothing in " .. path)
  return lines
end

-- Thread state. Globals are what done() reads with thread:get().
local plan, searches, exports, new_records, replacements
local plan_at, search_at, export_at, new_at, replace_at = 1, 1, 1, 1, 1
local auth, prefix
local seq = 0
local created = 0
local pending_first, pending_last = 1, 0
-- The request on the wire.
local awaiting = false
-- wrk calls request() once on the first thread's state, right after init(), to check what the
-- script sends (script_verify_request in wrk.c); that request is never sent.
local verifying = false
local current_kind, current_reply, current_rid, started_us

-- One line per answered request: kind, status, latency in µs.
results = {}
-- One line per error: request id, kind, status (0: no answer), what was wrong.
errors = {}
-- Replies this thread may have left in the index: created and not deleted (load.py
-- deletes them once the load is over).
leftovers = {}
-- Replies this thread created (answered 2xx) and has not deleted yet, oldest first.
pending_list = {}
-- The reply of a write on the wire ("" when none).
in_flight = ""
out_path = nil

function init(args)
  local dir = assert(args[1], "usage: wrk … -s load.lua URL -- DIR PREFIX")
  prefix = assert(args[2], "usage: wrk … -s load.lua URL -- DIR PREFIX")
  out_path = dir .. "/out.tsv"
  plan = read_lines(dir .. "/plan.txt")
  searches = read_lines(dir .. "/search.txt")
  exports = read_lines(dir .. "/export.txt")
  new_records = read_lines(dir .. "/new.jsonl")
  replacements = read_lines(dir .. "/replace.tsv")
  local token = assert(os.getenv("DAFU_ADMIN_TOKEN"), "DAFU_ADMIN_TOKEN is not set")
  auth = "Bearer " .. token
  -- Each thread starts at its own place of every list, so the clients do not move in step.
  verifying = id == 0
  plan_at = (id * 37) % #plan + 1
  search_at = (id * 7) % #searches + 1
  export_at = id % #exports + 1
  new_at = (id * 11) % #new_records + 1
  replace_at = (id * 13) % #replacements + 1
end

local function cycle(list, at)
  return list[at], at % #list + 1
end

local function clean(text)
  return (tostring(text):gsub("[\t\r\n]", " "):sub(1, 400))
end

local function error_line(kind, status, what)
  errors[#errors + 1] = table.concat({current_rid, kind, status, clean(what)}, "\t")
end

function request()
  if verifying then
    verifying = false
    return wrk.format("GET", searches[1])
  end
  if awaiting then
    -- The last request got no answer (its connection broke and wrk reconnected).
    error_line(current_kind, 0, "no answer")
    if current_reply and current_kind ~= "replace" then
      leftovers[#leftovers + 1] = current_reply
    end
  end
  local kind
  kind, plan_at = cycle(plan, plan_at)
  if kind == "delete" and pending_first > pending_last then
    kind = "new" -- nothing of this thread's to delete yet
  end
  seq = seq + 1
  current_kind = kind
  current_reply = nil
  current_rid = string.format("load-%s-t%d-%d", kind, id, seq)
  local req
  if kind == "search" then
    local path
    path, search_at = cycle(searches, search_at)
    req = wrk.format("GET", path, {["x-request-id"] = current_rid})
  elseif kind == "export" then
    local path
    path, export_at = cycle(exports, export_at)
    req = wrk.format("GET", path, {["x-request-id"] = current_rid})
  elseif kind == "delete" then
    current_reply = pending_list[pending_first]
    pending_list[pending_first] = nil
    pending_first = pending_first + 1
    req = wrk.format("DELETE", "/api/replies/" .. current_reply,
      {["x-request-id"] = current_rid, ["Authorization"] = auth})
  else
    local body
    if kind == "new" then
      created = created + 1
      current_reply = string.format("%s-t%d-%d", prefix, id, created)
      local record
      record, new_at = cycle(new_records, new_at)
      -- The id, and the text's handling number, which makes it a new reply (the same text
      -- under another id would be a copy of the reply the index holds).
      body = record:gsub("__ID__", current_reply)
    else -- replace
      local line
      line, replace_at = cycle(replacements, replace_at)
      local tab = line:find("\t", 1, true)
      current_reply = line:sub(1, tab - 1)
      body = line:sub(tab + 1)
    end
    req = wrk.format("POST", "/api/replies", {
      ["x-request-id"] = current_rid,
      ["Authorization"] = auth,
      ["Content-Type"] = "application/x-ndjson",
    }, body)
  end
  awaiting = true
  in_flight = (kind == "new" or kind == "delete") and current_reply or ""
  started_us = now_us()
  return req
end

-- What a write's answer must say of its reply.
local outcome_key = {new = "created", replace = "replaced", delete = "deleted"}

function response(status, headers, body)
  local elapsed = now_us() - started_us
  if not awaiting then
    return -- the answer to the request of the check above, were a wrk to send it
  end
  awaiting = false
  in_flight = ""
  local kind = current_kind
  results[#results + 1] = string.format("%s\t%d\t%d", kind, status, math.floor(elapsed + 0.5))
  if status < 200 or status > 299 then
    error_line(kind, status, body)
    if kind == "new" or kind == "delete" then
      -- A failed creation may still have been committed; a failed delete leaves the reply.
      leftovers[#leftovers + 1] = current_reply
    end
    return
  end
  local key = outcome_key[kind]
  if key then
    local expected = string.format('"%s":["%s"]', key, current_reply)
    if not body:find(expected, 1, true) then
      error_line(kind, status, "the answer lacks " .. expected .. ": " .. body)
      if kind == "new" then
        leftovers[#leftovers + 1] = current_reply
      end
    elseif kind == "new" then
      pending_last = pending_last + 1
      pending_list[pending_last] = current_reply
    end
  end
end

function done(summary, latency, requests)
  local out_file
  for _, thread in ipairs(threads) do
    out_file = out_file or thread:get("out_path")
  end
  local out = assert(io.open(out_file, "w"))
  for _, thread in ipairs(threads) do
    local tid = thread:get("id")
    for _, line in ipairs(thread:get("results")) do
      out:write("R\t", tid, "\t", line, "\n")
    end
    for _, line in ipairs(thread:get("errors")) do
      out:write("E\t", tid, "\t", line, "\n")
    end
    for _, reply in ipairs(thread:get("leftovers")) do
      out:write("L\t", tid, "\t", reply, "\n")
    end
    -- Created and not deleted by the end; and a write still on the wire when wrk stopped.
    for _, reply in pairs(thread:get("pending_list")) do
      out:write("L\t", tid, "\t", reply, "\n")
    end
    local last = thread:get("in_flight")
    if last and last ~= "" then
      out:write("L\t", tid, "\t", last, "\n")
    end
  end
  out:close()
end
