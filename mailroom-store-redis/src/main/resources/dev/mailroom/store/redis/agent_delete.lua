-- The first step of AgentStore.delete, in the system's keys: the agent's record and token go (so no
-- node authenticates it from now on: the 'A' event makes every node forget what it cached), and its
-- id joins 'deleting' until agent_forget.lua, the last step, so that nobody registers it while its
-- mailbox and subscriptions are being removed, and a deletion that stopped half way is found again.
-- ARGV: 5 id. Returns {'none'} if there is no such agent and no deletion of it to finish, else
-- {'begun' (the record went now and the event was published) or 'resumed', then the ids of the
-- agent's subscriptions}.
local id = ARGV[5]
local state
if redis.call('HDEL', P .. 'agents', id) == 1 then
  local token = redis.call('HGET', P .. 'tokenof', id)
  if token then
    redis.call('HDEL', P .. 'tokens', token)
    redis.call('HDEL', P .. 'tokenof', id)
  end
  redis.call('SADD', P .. 'deleting', id)
  event('A', id)
  state = 'begun'
elseif redis.call('SISMEMBER', P .. 'deleting', id) == 1 then
  state = 'resumed'
else
  return {'none'}
end
local answer = {state}
for _, sub in ipairs(redis.call('SMEMBERS', P .. 'sa:' .. id)) do
  answer[#answer + 1] = sub
end
return answer
