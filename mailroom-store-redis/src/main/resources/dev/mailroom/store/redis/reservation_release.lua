-- ReservationStore.release. ARGV: 5 the id, 6 the caller's now. Deletes it, expired or not;
-- returns 1 if it was live at now, else 0. Releasing needs no new version: a reservation checked
-- against one being released is refused as if it came first.
local project = redis.call('HGET', P .. 'rp', ARGV[5])
if not project then
  return 0
end
local e = redis.call('ZSCORE', P .. 'rexp', ARGV[5])
redis.call('HDEL', P .. 'r:' .. project, ARGV[5])
redis.call('HDEL', P .. 'rp', ARGV[5])
redis.call('ZREM', P .. 'rexp', ARGV[5])
if e and tonumber(e) > tonumber(ARGV[6]) then
  return 1
end
return 0
