-- wrk script: signed Telegram deliveries to /hooks/telegram/<integration_id>.
-- Environment:
--   INGEST_TARGETS  file of "<integration_id> <secret_token>" lines; requests go round-robin over them
--   INGEST_BASE     first update_id of this run (each run of one server uses its own range)
--   INGEST_DUP      fraction of requests that repeat an earlier update_id of the same thread (0.3 = 30%)
--   INGEST_DELAY_MS when set, each connection waits a random time with this mean before each request:
--                   exponential pauses make the deliveries of all connections together a Poisson stream
--                   of about connections × 1000 / INGEST_DELAY_MS per second (a fixed pause would send
--                   them in bursts, every connection at once)
-- Each wrk thread numbers its own updates (base + thread * 1e9 + n), so every update_id is unique
-- across threads and connections; the chat id and the sender are the update_id too, so no chat
-- ever sees two messages (per-chat rate limits stay out of the way of end-to-end runs).
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local targets = {}
local base, dup, n, seen, seen_size = 0, 0, 0, {}, 0
local RING = 4096
local texts = { "what are your opening hours?", "opening hours please", "hi, when are your opening hours today?" }

function init(args)
  for line in io.lines(os.getenv("INGEST_TARGETS")) do
    local id, secret = line:match("^(%S+)%s+(%S+)")
    if id then
      -- The request line and headers are made once per target; each request only adds its body.
      -- (wrk.format builds them again on every call, and the load generator shares the server's cores.)
      targets[#targets + 1] = { head = "POST /hooks/telegram/" .. id .. " HTTP/1.1\r\nHost: " .. wrk.host .. ":" ..
                                       wrk.port .. "\r\nContent-Type: application/json\r\n" ..
                                       "X-Telegram-Bot-Api-Secret-Token: " .. secret .. "\r\nContent-Length: " }
    end
  end
  base = tonumber(os.getenv("INGEST_BASE") or "1000000") + (tid or 0) * 1e9
  dup = tonumber(os.getenv("INGEST_DUP") or "0")
  math.randomseed(os.time() + (tid or 0))
end

local function delivery(t, update_id)
  local id = string.format("%.0f", update_id)
  local body = '{"update_id":' .. id .. ',"message":{"message_id":' .. id ..
      ',"date":1764111111,"from":{"id":' .. id .. ',"is_bot":false,"first_name":"Ann"},"chat":{"id":' .. id ..
      ',"type":"private"},"text":"' .. texts[(update_id % #texts) + 1] .. '"}}'
  return t.head .. #body .. "\r\n\r\n" .. body
end

function request()
  if dup > 0 and seen_size > 0 and math.random() < dup then
    local e = seen[math.random(1, seen_size)]  -- a repeat of an earlier delivery, same integration
    return delivery(targets[e[1]], e[2])
  end
  n = n + 1
  local ti = (n % #targets) + 1
  local update_id = base + n
  if seen_size < RING then seen_size = seen_size + 1; seen[seen_size] = { ti, update_id }
  else seen[math.random(1, RING)] = { ti, update_id } end
  return delivery(targets[ti], update_id)
end

local pace = tonumber(os.getenv("INGEST_DELAY_MS") or "0")
if pace > 0 then
  function delay() return math.floor(-math.log(1 - math.random()) * pace + 0.5) end
end
