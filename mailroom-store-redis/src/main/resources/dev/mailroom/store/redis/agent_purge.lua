-- The step of AgentStore.delete in the agent's shard, once its subscriptions are deleted: its
-- pending deliveries, dead letters and read marks, then its mailbox and the entries in it. A message
-- whose home is this shard goes too when no mailbox of this shard holds it any more and it reached
-- one recipient (so that was the agent) with nothing left in the outbox; a message at home in
-- another shard stays there until it expires. Running it again finds nothing more to do.
-- ARGV: 5 id, 6 the shard's number, 7 the number of shards. Returns how many messages went.
local id, shard, shards = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])

for _, hex in ipairs(redis.call('HKEYS', P .. 'd:' .. id)) do
  unpend(P, id, hex)
end
redis.call('DEL', P .. 'd:' .. id, P .. 'p:' .. id)

for _, hex in ipairs(redis.call('HKEYS', P .. 'dd:' .. id)) do
  redis.call('ZREM', P .. 'dlall', hex .. '|' .. id)
end
redis.call('DEL', P .. 'dd:' .. id, P .. 'dl:' .. id)

for _, hex in ipairs(redis.call('HKEYS', P .. 'rd:' .. id)) do
  redis.call('SREM', P .. 'rb:' .. hex, id)
  redis.call('ZREM', P .. 'rs', hex .. '|' .. id)
end
redis.call('DEL', P .. 'rd:' .. id)

-- Removes a message at home in this shard, as cleanup.lua does when it expires (with its search
-- index entries).
local function remove(hex)
  for _, reader in ipairs(redis.call('SMEMBERS', P .. 'rb:' .. hex)) do
    redis.call('HDEL', P .. 'rd:' .. reader, hex)
    redis.call('ZREM', P .. 'rs', hex .. '|' .. reader)
  end
  redis.call('DEL', P .. 'rb:' .. hex)
  redis.call('ZREM', P .. 'exp', hex)
  redis.call('HDEL', P .. 'msgs', hex)
  redis.call('HDEL', P .. 'att', hex)
  local thread = redis.call('HGET', P .. 'thx', hex)
  if thread then
    redis.call('ZREM', P .. 'th:' .. thread, hex)
    redis.call('HDEL', P .. 'thx', hex)
  end
  searchUnindex(P, hex)
end

local gone = 0
for _, hex in ipairs(redis.call('ZRANGE', P .. 'e:' .. id, 0, -1)) do
  local rest = {}
  for name in string.gmatch(redis.call('HGET', P .. 'where', hex) or '', '[^\n]+') do
    if name ~= id then
      rest[#rest + 1] = name
    end
  end
  if #rest > 0 then
    redis.call('HSET', P .. 'where', hex, table.concat(rest, '\n'))
  else
    redis.call('HDEL', P .. 'where', hex)
    local stored = redis.call('HGET', P .. 'msgs', hex)
    if stored and tonumber(string.sub(hex, 12), 16) % shards == shard
        and tonumber(string.match(stored, '^(%d+):')) <= 1
        and redis.call('HEXISTS', P .. 'obx', hex) == 0 then
      remove(hex)
      gone = gone + 1
    end
  end
end
redis.call('DEL', P .. 'e:' .. id, P .. 'mb:' .. id)
return gone
