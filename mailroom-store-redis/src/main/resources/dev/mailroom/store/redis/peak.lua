-- TopicStore.recordSubscribers. ARGV: 4 topic, 5 subscribers.
local mb = P .. 'mb:' .. ARGV[4]
if redis.call('HGET', mb, 'kind') ~= 'topic' then
  return 0
end
if tonumber(redis.call('HGET', mb, 'peak') or '0') < tonumber(ARGV[5]) then
  redis.call('HSET', mb, 'peak', ARGV[5])
end
return 1
