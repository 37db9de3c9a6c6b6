-- ObligationStore.open. ARGV: 5 the hex id, 6 the fixed part, 7 the deadline in ms ('' for none),
-- 8 the message's expiry in ms. Returns 1 if stored, 0 if the message has one already.
local id = ARGV[5]
if redis.call('HEXISTS', P .. 'ob', id) == 1 then
  return 0
end
local sender, target, thread = obligation_parts(ARGV[6])
redis.call('HSET', P .. 'ob', id, ARGV[6])
redis.call('ZADD', P .. 'ob:s:' .. sender, 0, id)
redis.call('ZADD', P .. 'ob:t:' .. target, 0, id)
redis.call('ZADD', P .. 'ob:su:' .. sender, 0, id)
redis.call('ZADD', P .. 'ob:tu:' .. target, 0, id)
redis.call('SADD', P .. 'ob:th:' .. thread, id)
if ARGV[7] ~= '' then
  redis.call('ZADD', P .. 'obdue', tonumber(ARGV[7]), id)
end
redis.call('ZADD', P .. 'obexp', tonumber(ARGV[8]), id)
return 1
