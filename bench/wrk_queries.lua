-- bench/wrk_queries.lua: wrk script for bench/search. Rotates through the queries of a query file
-- (bench/queries.txt: "tag<TAB>query" lines, # comments), each as GET /api/search?q=<URL-encoded query>.
--   wrk -t2 -c4 -d10s --latency -s bench/wrk_queries.lua http://127.0.0.1:8080 -- bench/queries.txt
-- Each wrk thread starts at a different place in the list, so concurrent requests differ.
local threads = 0
local paths = {}
local next_index = 1

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local file = args[1] or "bench/queries.txt"
  for line in io.lines(file) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      local q = line:match("\t(.*)$") or line
      paths[#paths + 1] = "/api/search?q=" .. urlencode(q)
    end
  end
  assert(#paths > 0, "no queries in " .. file)
  next_index = ((thread_number or 0) * 97) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
