-- MessageStore.purgeExpired, in one shard: expired messages the shard refers to, with the shard's
-- entries, deliveries, dead letters and read marks of them (and the message itself, its entries in
-- 'att', its thread's index and search index entries, and its outbox entry, where the shard is its home); read marks past retention; idempotency
-- keys past the dedupe window; at most ARGV[5] of each. ARGV: 5 max rows, 6 oldest read state
-- change kept (ms), 7 oldest key kept (ms), 8 the shard's number, 9 the number of shards.
-- Returns {messages, read states, keys, more (0|1)}.
local max, shard, shards = tonumber(ARGV[5]), tonumber(ARGV[8]), tonumber(ARGV[9])
local more, removed = 0, 0

local expired = redis.call('ZRANGEBYSCORE', P .. 'exp', '-inf', NOW, 'LIMIT', 0, max + 1)
if #expired > max then
  more = 1
  expired[#expired] = nil
end
for _, hex in ipairs(expired) do
  local where = redis.call('HGET', P .. 'where', hex) or ''
  for name in string.gmatch(where, '[^\n]+') do
    redis.call('ZREM', P .. 'e:' .. name, hex)
    if redis.call('HGET', P .. 'mb:' .. name, 'kind') == 'agent' then
      unpend(P, name, hex)
      if redis.call('HDEL', P .. 'dd:' .. name, hex) == 1 then
        redis.call('ZREM', P .. 'dl:' .. name, hex)
        redis.call('ZREM', P .. 'dlall', hex .. '|' .. name)
      end
    end
  end
  for _, reader in ipairs(redis.call('SMEMBERS', P .. 'rb:' .. hex)) do
    redis.call('HDEL', P .. 'rd:' .. reader, hex)
    redis.call('ZREM', P .. 'rs', hex .. '|' .. reader)
  end
  redis.call('DEL', P .. 'rb:' .. hex)
  redis.call('HDEL', P .. 'where', hex)
  redis.call('ZREM', P .. 'exp', hex)
  if tonumber(string.sub(hex, 12), 16) % shards == shard then
    redis.call('HDEL', P .. 'msgs', hex)
    redis.call('HDEL', P .. 'att', hex)
    local thread = redis.call('HGET', P .. 'thx', hex)
    if thread then
      redis.call('ZREM', P .. 'th:' .. thread, hex)
      redis.call('HDEL', P .. 'thx', hex)
    end
    searchUnindex(P, hex)
    redis.call('HDEL', P .. 'obx', hex)
    redis.call('ZREM', P .. 'ob', hex)
    removed = removed + 1
  end
end

local marks = redis.call('ZRANGEBYSCORE', P .. 'rs', '-inf', ARGV[6], 'LIMIT', 0, max + 1)
if #marks > max then
  more = 1
  marks[#marks] = nil
end
for _, m in ipairs(marks) do
  local hex, reader = string.match(m, '^(%x+)|(.+)$')
  redis.call('HDEL', P .. 'rd:' .. reader, hex)
  redis.call('SREM', P .. 'rb:' .. hex, reader)
  redis.call('ZREM', P .. 'rs', m)
end

local keys = redis.call('ZRANGEBYSCORE', P .. 'idemx', '-inf', ARGV[7], 'LIMIT', 0, max + 1)
if #keys > max then
  more = 1
  keys[#keys] = nil
end
for _, k in ipairs(keys) do
  redis.call('HDEL', P .. 'idem', k)
  redis.call('ZREM', P .. 'idemx', k)
end
return {removed, #marks, #keys, more}
