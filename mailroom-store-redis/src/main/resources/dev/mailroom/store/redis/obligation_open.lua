-- ObligationStore.open. ARGV: 5 the hex id, 6 the fixed part, 7 the deadline in ms ('' for none),
-- 8 the message's expiry in ms. Returns 1 if stored, 0 if the message has one already.
local id = ARGV[5]
if redis.call('HEXISTS', P .. 'og', id) == 1 then
  return 0
end
local sender, target, thread = obligation_parts(ARGV[6])
redis.call('HSET', P .. 'og', id, ARGV[6])
redis.call('ZADD', P .. 'og:s:' .. sender, 0, id)
redis.call('ZADD', P .. 'og:t:' .. target, 0, id)
redis.call('ZADD', P .. 'og:su:' .. sender, 0, id)
redis.call('ZADD', P .. 'og:tu:' .. target, 0, id)
redis.call('SADD', P .. 'og:th:' .. thread, id)
if ARGV[7] ~= '' then
  redis.call('ZADD', P .. 'ogdue', tonumber(ARGV[7]), id)
end
redis.call('ZADD', P .. 'ogexp', tonumber(ARGV[8]), id)
return 1
