-- TopicStore.recordSubscribers. ARGV: 5 topic, 6 subscribers.
local mb = P .. 'mb:' .. ARGV[5]
if redis.call('HGET', mb, 'kind') ~= 'topic' then
  return 0
end
if tonumber(redis.call('HGET', mb, 'peak') or '0') < tonumber(ARGV[6]) then
  redis.call('HSET', mb, 'peak', ARGV[6])
end
return 1
