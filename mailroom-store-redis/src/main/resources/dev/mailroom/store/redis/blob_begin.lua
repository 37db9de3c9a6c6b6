-- The start of a part's write (BlobStore.writePart): gives the write its number, under which its
-- chunks are stored, and lists it, so that a removal deletes its chunks even if the writer dies.
-- ARGV: 5 id, 6 part number. Returns {'ok', write number, the part's record now ('' for none)},
-- or {the state that refuses it: 'complete', 'removing' or 'none'}.
local meta = P .. 'b:' .. ARGV[5]
local state = redis.call('HGET', meta, 'state')
if state ~= 'open' then
  return {state or 'none'}
end
local write = redis.call('HINCRBY', meta, 'wseq', 1)
redis.call('HSET', meta, 'w:' .. write, ARGV[6])
return {'ok', write, redis.call('HGET', meta, 'p:' .. ARGV[6]) or ''}
