-- BlobStore.remove, its decision: an upload or blob last used before ARGV[6] (a stamp) is marked
-- 'removing', which no read sees, leaves 'bo' or 'bc' for 'bx', and is uncounted from its owner;
-- the node then deletes its chunks and blob_forget.lua its record. A node that dies half way leaves
-- it in 'bx', where the next removal or look for unused blobs finishes it. ARGV: 5 id, 6 the
-- cutoff. Returns 1 if marked now, 2 if it was being removed already, 0 if it stays (or is gone).
local id = ARGV[5]
local meta = P .. 'b:' .. id
local state = redis.call('HGET', meta, 'state')
if not state then
  return 0
end
if state == 'removing' then
  return 2
end
if not earlier(redis.call('HGET', meta, 'used'), ARGV[6]) then
  return 0
end
local owner, size = unpack(redis.call('HMGET', meta, 'owner', 'size'))
redis.call('HSET', meta, 'state', 'removing')
redis.call('ZREM', P .. 'bo', id)
redis.call('ZREM', P .. 'bc', id)
redis.call('ZADD', P .. 'bx', NOW, id)
if size ~= '0' then
  redis.call('HINCRBY', P .. 'bu', owner, '-' .. size)
  redis.call('DECRBY', P .. 'bt', size)
end
if tonumber(redis.call('HGET', P .. 'bu', owner) or '0') <= 0 then
  redis.call('HDEL', P .. 'bu', owner)
end
return 1
