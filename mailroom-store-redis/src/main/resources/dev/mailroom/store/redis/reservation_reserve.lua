-- ReservationStore.reserve, after the node found no conflict among the project's reservations it
-- read at version ARGV[6]. ARGV: 5 the project, 6 that version, 7 the id, 8 the encoded
-- reservation, 9 its expiry (epoch ms). Stores it only if the project's version is still the one
-- read (nothing was reserved or renewed since), and returns 1; else stores nothing and returns 0,
-- and the node reads again. The project's reservations are the hash 'r:<project>'; 'rv' holds each
-- project's version, 'rp' each reservation's project, 'rexp' each reservation's expiry.
local version = tonumber(redis.call('HGET', P .. 'rv', ARGV[5]) or '0')
if version ~= tonumber(ARGV[6]) then
  return 0
end
redis.call('HSET', P .. 'r:' .. ARGV[5], ARGV[7], ARGV[8])
redis.call('HSET', P .. 'rv', ARGV[5], version + 1)
redis.call('HSET', P .. 'rp', ARGV[7], ARGV[5])
redis.call('ZADD', P .. 'rexp', ARGV[9], ARGV[7])
return 1
