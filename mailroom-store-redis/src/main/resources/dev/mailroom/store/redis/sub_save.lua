-- DeliveryStore.saveSubscription. ARGV: 5 id, 6 encoded subscription, 7 its agent, 8 the most
-- subscriptions the agent may have. Returns 1 if saved, 0 if the id is taken, -1 if the agent has
-- its maximum. 'sa:<agent>' holds an agent's subscription ids (so the count is one SCARD) and
-- 'subagent' the agent of each id (so a deletion finds that set).
if redis.call('HEXISTS', P .. 'subs', ARGV[5]) == 1 then
  return 0
end
if redis.call('SCARD', P .. 'sa:' .. ARGV[7]) >= tonumber(ARGV[8]) then
  return -1
end
redis.call('HSET', P .. 'subs', ARGV[5], ARGV[6])
redis.call('HSET', P .. 'subagent', ARGV[5], ARGV[7])
redis.call('SADD', P .. 'sa:' .. ARGV[7], ARGV[5])
event('S', ARGV[5])
return 1
