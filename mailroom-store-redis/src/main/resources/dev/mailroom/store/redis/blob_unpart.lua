-- The end of a part's write that was refused (its chunks deleted already): unlists the write and
-- takes back the part it was to replace, if that is still the part, listing its chunks for
-- deletion. A part another write recorded meanwhile stays. ARGV: 5 id, 6 part number, 7 write
-- number, 8 the part's record when the write began ('' for none). Returns the number of the write
-- whose chunks are to be deleted now, or ''.
local id, n, write, before = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local meta = P .. 'b:' .. id
local state = redis.call('HGET', meta, 'state')
if state ~= 'open' then
  if state == 'complete' then
    redis.call('HDEL', meta, 'w:' .. write)
  end
  return ''
end
redis.call('HDEL', meta, 'w:' .. write)
if before == '' or redis.call('HGET', meta, 'p:' .. n) ~= before then
  return ''
end
local old = string.match(before, '^(%d+):')
redis.call('HDEL', meta, 'p:' .. n)
redis.call('HSET', meta, 'w:' .. old, n)
redis.call('HINCRBY', meta, 'ver', 1)
return old
