-- ObligationStore.purgeExpired, for the obligations. ARGV: 5 the caller's now, 6 the most to
-- remove. Removes the obligations whose message has expired, from every key that names them.
-- Returns how many it removed.
local ids = redis.call('ZRANGEBYSCORE', P .. 'obexp', '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))
for _, id in ipairs(ids) do
  local fixed = redis.call('HGET', P .. 'ob', id)
  if fixed then
    local sender, target, thread = obligation_parts(fixed)
    redis.call('ZREM', P .. 'ob:s:' .. sender, id)
    redis.call('ZREM', P .. 'ob:t:' .. target, id)
    redis.call('ZREM', P .. 'ob:su:' .. sender, id)
    redis.call('ZREM', P .. 'ob:tu:' .. target, id)
    redis.call('SREM', P .. 'ob:th:' .. thread, id)
  end
  redis.call('HDEL', P .. 'ob', id)
  redis.call('HDEL', P .. 'obm', id)
  redis.call('HDEL', P .. 'obn', id)
  redis.call('ZREM', P .. 'obdue', id)
  redis.call('ZREM', P .. 'obexp', id)
end
return #ids
