-- BlobStore.complete, once the node has checked the upload's bytes: makes it a blob, unless its
-- parts changed since the node read them. ARGV: 5 id, 6 the parts' version read ('ver'), 7 the
-- SHA-256, 8 now (stamp), 9 now (epoch ms). Returns 'ok', 'changed', or the state that stops it:
-- 'complete', 'removing' or 'none'.
local id = ARGV[5]
local meta = P .. 'b:' .. id
local state = redis.call('HGET', meta, 'state')
if state ~= 'open' then
  return state or 'none'
end
if redis.call('HGET', meta, 'ver') ~= ARGV[6] then
  return 'changed'
end
redis.call('HSET', meta, 'state', 'complete', 'sha', ARGV[7], 'used', ARGV[8])
redis.call('ZREM', P .. 'bo', id)
redis.call('ZADD', P .. 'bc', ARGV[9], id)
return 'ok'
