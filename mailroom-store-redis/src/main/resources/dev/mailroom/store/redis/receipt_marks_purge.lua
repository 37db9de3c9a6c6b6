-- ObligationStore.purgeExpired, for one shard's receipt marks. ARGV: 5 the caller's now, 6 the
-- most to remove. Returns how many messages' marks it removed.
local ids = redis.call('ZRANGEBYSCORE', P .. 'rmexp', '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))
for _, id in ipairs(ids) do
  redis.call('DEL', P .. 'rm:' .. id)
  redis.call('ZREM', P .. 'rmexp', id)
end
return #ids
