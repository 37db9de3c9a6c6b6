-- BlobStore.touch. ARGV: 5 id, 6 now (stamp), 7 now (epoch ms). Returns 1, or 0 if there is no
-- such complete blob.
local meta = P .. 'b:' .. ARGV[5]
if redis.call('HGET', meta, 'state') ~= 'complete' then
  return 0
end
redis.call('HSET', meta, 'used', ARGV[6])
redis.call('ZADD', P .. 'bc', ARGV[7], ARGV[5])
return 1
