-- MessageStore.markRead / markUnread. ARGV: 4 id, 5 reader, 6 '1' read | '0' unread.
-- A read state is 'readAt|changedAt' (readAt empty when unread), in the reader's hash, with the
-- message's set of readers and a retention index by change time. Returns 1 if the message is live.
local hex, reader, read = ARGV[4], ARGV[5], ARGV[6] == '1'
if not live(hex) then
  return 0
end
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
redis.call('SADD', P .. 'rb:' .. hex, reader)
redis.call('ZADD', P .. 'rs', NOW, hex .. '|' .. reader)
return 1
