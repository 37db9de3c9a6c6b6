-- Settles a send whose groups the outbox held, once every group is delivered: the message's
-- recipients and its idempotency key's count become final, the outbox entry goes, and the 'D'
-- event is published if anyone was reached. Run in the home shard. ARGV: 5 id, 6 recipients
-- reached by the groups (each counted once), 7 their agents (comma-separated), 8 their pushed
-- recipients (comma-separated). Returns 1 if it published the event, 0 if not, -1 if the entry was
-- settled already.
local hex = ARGV[5]
local entry = redis.call('HGET', P .. 'obx', hex)
if not entry then
  return -1
end
-- sender, key, inbox bound, expiry, recipients, agents and pushed so far (see send_core.lua).
local lines = {}
for line in string.gmatch(entry .. '\n', '([^\n]*)\n') do
  lines[#lines + 1] = line
end
local sender, key = lines[1], lines[2]
local recipients = tonumber(lines[5]) + tonumber(ARGV[6])
local function join(a, b)
  if a == '' then
    return b
  elseif b == '' then
    return a
  end
  return a .. ',' .. b
end
local agents, pushed = join(lines[6], ARGV[7]), join(lines[7], ARGV[8])
redis.call('HDEL', P .. 'obx', hex)
redis.call('ZREM', P .. 'ob', hex)
local stored = redis.call('HGET', P .. 'msgs', hex)
if not stored then
  return 0
end
stored = string.format('%d', recipients) .. string.sub(stored, (string.find(stored, ':', 1, true)))
redis.call('HSET', P .. 'msgs', hex, stored)
if key ~= '' then
  local field = sender .. '\n' .. key
  local idem = redis.call('HGET', P .. 'idem', field)
  if idem and string.sub(idem, 1, 16) == hex then
    redis.call('HSET', P .. 'idem', field,
      hex .. ':' .. string.format('%d', recipients) .. ':' .. string.match(idem, ':(%d+)$'))
  end
end
if agents == '' then
  return 0
end
event('D', hex, pushed, agents, stored)
return 1
