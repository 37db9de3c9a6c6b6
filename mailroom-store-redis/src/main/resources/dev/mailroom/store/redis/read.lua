-- MessageStore.markRead / markUnread, in the reader's shard. ARGV: 5 id, 6 reader, 7 '1' read |
-- '0' unread, 8 the message's expiry (ms; the node found it live). A read state is
-- 'readAt|changedAt' (readAt empty when unread), in the reader's hash, with the shard's readers
-- of the message ('rb:<id>') and a retention index by change time ('rs'); the shard's 'exp' learns
-- the message, so the cleaner removes the marks when it expires. Returns 1.
local hex, reader, read = ARGV[5], ARGV[6], ARGV[7] == '1'
local rd = P .. 'rd:' .. reader
local now = string.format('%d', NOW)
if read then
  local mark = redis.call('HGET', rd, hex)
  if mark and string.sub(mark, 1, 1) ~= '|' then
    return 1
  end
  redis.call('HSET', rd, hex, now .. '|' .. now)
else
  redis.call('HSET', rd, hex, '|' .. now)
end
redis.call('ZADD', P .. 'exp', ARGV[8], hex)
redis.call('SADD', P .. 'rb:' .. hex, reader)
redis.call('ZADD', P .. 'rs', NOW, hex .. '|' .. reader)
return 1
