-- AgentStore.replaceToken. ARGV: 4 id, 5 new token hash. Returns 1 if the agent exists.
local id = ARGV[4]
if redis.call('HEXISTS', P .. 'agents', id) == 0 then
  return 0
end
local old = redis.call('HGET', P .. 'tokenof', id)
if old then
  redis.call('HDEL', P .. 'tokens', old)
end
redis.call('HSET', P .. 'tokens', ARGV[5], id)
redis.call('HSET', P .. 'tokenof', id, ARGV[5])
event('A', id)
return 1
