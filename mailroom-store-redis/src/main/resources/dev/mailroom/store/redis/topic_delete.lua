-- The part of TopicStore.delete in the system's keys, once topic_mailbox.lua removed the mailbox:
-- its configuration and listing. ARGV: 5 name, 6 its creator ('' if none).
local name = ARGV[5]
if ARGV[6] ~= '' then
  redis.call('SREM', P .. 'tc:' .. ARGV[6], name)
end
redis.call('HDEL', P .. 'tcfg', name)
redis.call('ZREM', P .. 'topics', name)
event('T', name)
return 1
