-- wrk script of the end-to-end benchmark: cycles through a fixed list of request paths, one per
-- line of the file named after `--` (written by benches/e2e.py), each thread from its own
-- starting line, so every run sends the same mix in the same proportions.
--
--   wrk -t2 -c4 -d20s --latency -s benches/e2e/mix.lua http://127.0.0.1:PORT -- paths.txt

local paths = {}
local next_path = 1
local thread_number = 0

function setup(thread)
  thread:set("id", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
  for line in file:lines() do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  file:close()
  assert(#paths > 0, "no paths in " .. args[1])
  next_path = (id * 7) % #paths + 1
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end
