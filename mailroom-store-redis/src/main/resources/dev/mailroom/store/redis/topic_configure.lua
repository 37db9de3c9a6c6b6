-- The part of TopicStore.configure in the system's keys (the topic's mailbox, if asked for, is
-- made first by topic_mailbox.lua). ARGV: 5 name, 6 encoded config, 7 '1' if the topic is to be
-- listed too. Returns 'ok'.
local name = ARGV[5]
if ARGV[7] == '1' then
  redis.call('ZADD', P .. 'topics', 0, name)
end
redis.call('HSET', P .. 'tcfg', name, ARGV[6])
event('T', name)
return 'ok'
