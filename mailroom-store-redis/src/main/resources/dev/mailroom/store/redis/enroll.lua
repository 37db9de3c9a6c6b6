-- AgentStore.enroll in the system's keys, once agent_mailbox.lua made the agent's mailbox: one use
-- of the enrollment and the agent's records, or nothing. ARGV: 5 the enrollment's secret hash,
-- 6 now (epoch ms), 7 id, 8 record, 9 token hash. Returns 'ok', 'unknown', 'expired', 'used_up',
-- or a conflict reason.
local e = redis.call('HGET', P .. 'enrollhash', ARGV[5])
if not e then
  return 'unknown'
end
local found = redis.call('HMGET', P .. 'enr:' .. e, 'left', 'expires')
if not found[1] then
  return 'unknown'
end
if tonumber(ARGV[6]) >= tonumber(found[2]) then
  return 'expired'
end
if tonumber(found[1]) <= 0 then
  return 'used_up'
end
local id = ARGV[7]
if redis.call('HEXISTS', P .. 'agents', id) == 1 then
  return 'agent ' .. id .. ' exists'
end
if redis.call('SISMEMBER', P .. 'deleting', id) == 1 then
  return 'agent ' .. id .. ' is being deleted; delete it again to finish'
end
if redis.call('HEXISTS', P .. 'tokens', ARGV[9]) == 1 then
  return 'that token is already in use'
end
redis.call('HINCRBY', P .. 'enr:' .. e, 'left', -1)
redis.call('HSET', P .. 'agents', id, ARGV[8])
redis.call('HSET', P .. 'tokens', ARGV[9], id)
redis.call('HSET', P .. 'tokenof', id, ARGV[9])
event('A', id)
return 'ok'
