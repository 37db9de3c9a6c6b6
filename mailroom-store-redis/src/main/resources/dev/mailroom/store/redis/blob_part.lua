-- The end of a part's write whose bytes were stored and checked: records the part as the write
-- stored it, and lists the chunks of the write it replaces (if any) for deletion. ARGV: 5 id, 6
-- part number, 7 write number, 8 the part's size, 9 its SHA-256, 10 now (stamp), 11 now (epoch
-- ms). Returns {'ok', the replaced write's number ('' for none)}, or {the state that refuses it:
-- 'complete', 'removing' or 'none'} (the writer then deletes its chunks).
local id, n, write = ARGV[5], ARGV[6], ARGV[7]
local meta = P .. 'b:' .. id
local state = redis.call('HGET', meta, 'state')
if state ~= 'open' then
  if state == 'complete' then
    redis.call('HDEL', meta, 'w:' .. write)
  end
  return {state or 'none'}
end
local old = redis.call('HGET', meta, 'p:' .. n)
local replaced = ''
if old then
  replaced = string.match(old, '^(%d+):')
  if replaced ~= write then
    redis.call('HSET', meta, 'w:' .. replaced, n)
  end
end
redis.call('HSET', meta, 'p:' .. n, write .. ':' .. ARGV[8] .. ':' .. ARGV[9], 'used', ARGV[10])
redis.call('HDEL', meta, 'w:' .. write)
redis.call('HINCRBY', meta, 'ver', 1)
redis.call('ZADD', P .. 'bo', ARGV[11], id)
return {'ok', replaced}
