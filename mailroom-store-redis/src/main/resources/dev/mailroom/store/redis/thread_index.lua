-- RedisMessageStore.indexThreads, in one shard: puts messages stored before the thread index
-- existed into it, as the send script would have. ARGV: 5.. pairs of id and thread. An id whose
-- message is gone (cleaned since it was read) is skipped, so the index never names a message the
-- cleaner already passed. Returns how many it indexed.
local added = 0
for i = 5, #ARGV, 2 do
  local hex, thread = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', P .. 'msgs', hex) == 1 and redis.call('HSETNX', P .. 'thx', hex, thread) == 1 then
    redis.call('ZADD', P .. 'th:' .. thread, 0, hex)
    added = added + 1
  end
end
return added
