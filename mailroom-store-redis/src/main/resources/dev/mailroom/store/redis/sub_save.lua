-- DeliveryStore.saveSubscription. ARGV: 4 id, 5 encoded subscription, 6 its agent, 7 the most
-- subscriptions the agent may have. Returns 1 if saved, 0 if the id is taken, -1 if the agent has
-- its maximum. 'sa:<agent>' holds an agent's subscription ids (so the count is one SCARD) and
-- 'subagent' the agent of each id (so a deletion finds that set).
if redis.call('HEXISTS', P .. 'subs', ARGV[4]) == 1 then
  return 0
end
if redis.call('SCARD', P .. 'sa:' .. ARGV[6]) >= tonumber(ARGV[7]) then
  return -1
end
redis.call('HSET', P .. 'subs', ARGV[4], ARGV[5])
redis.call('HSET', P .. 'subagent', ARGV[4], ARGV[6])
redis.call('SADD', P .. 'sa:' .. ARGV[6], ARGV[4])
event('S', ARGV[4])
return 1
