-- The part of TopicStore.create in the system's keys, before topic_mailbox.lua makes the mailbox.
-- ARGV: 5 name, 6 creator, 7 the most existing topics the creator may have created. Returns 'ok'
-- or 'limit'. 'tc:<agent>' holds the existing topics an agent created (so the count is one SCARD);
-- 'topics' lists every topic's name.
local name, creator = ARGV[5], ARGV[6]
if redis.call('SISMEMBER', P .. 'tc:' .. creator, name) == 0
    and redis.call('SCARD', P .. 'tc:' .. creator) >= tonumber(ARGV[7]) then
  return 'limit'
end
redis.call('SADD', P .. 'tc:' .. creator, name)
redis.call('ZADD', P .. 'topics', 0, name)
return 'ok'
