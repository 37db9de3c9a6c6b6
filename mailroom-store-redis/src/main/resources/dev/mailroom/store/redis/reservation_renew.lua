-- ReservationStore.renew. ARGV: 5 the id, 6 the encoded reservation with its new expiry, 7 that
-- expiry (epoch ms), 8 the caller's now. Returns 1, or 0 (changing nothing) if the reservation is
-- gone or expired at now. Renewing counts as a change of its project (see reservation_reserve).
local e = redis.call('ZSCORE', P .. 'rexp', ARGV[5])
local project = redis.call('HGET', P .. 'rp', ARGV[5])
if not e or not project or tonumber(e) <= tonumber(ARGV[8]) then
  return 0
end
redis.call('HSET', P .. 'r:' .. project, ARGV[5], ARGV[6])
redis.call('ZADD', P .. 'rexp', ARGV[7], ARGV[5])
redis.call('HINCRBY', P .. 'rv', project, 1)
return 1
