-- RedisMessageStore.indexSearch, in one shard: puts messages stored before the search index
-- existed into it, as the send script would have. ARGV: 5.. pairs of id and terms. An id whose
-- message is gone (cleaned since it was read) is skipped, so the index never names a message the
-- cleaner already passed. Returns how many it indexed.
local added = 0
for i = 5, #ARGV, 2 do
  local hex = ARGV[i]
  if redis.call('HEXISTS', P .. 'msgs', hex) == 1 then
    added = added + searchIndex(P, hex, ARGV[i + 1])
  end
end
return added
