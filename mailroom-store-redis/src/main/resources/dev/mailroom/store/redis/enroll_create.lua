-- AgentStore.createEnrollment, in the system's keys. ARGV: 5 id, 6 record, 7 secret hash, 8 uses,
-- 9 expiry (epoch ms). An enrollment is the hash 'enr:<id>' (its record, secret hash, uses left and
-- expiry), its id in the set 'enrollments' and its secret hash in 'enrollhash' (hash to id).
-- Returns 'ok' or a conflict reason.
local id = ARGV[5]
if redis.call('EXISTS', P .. 'enr:' .. id) == 1 then
  return 'enrollment ' .. id .. ' exists'
end
if redis.call('HEXISTS', P .. 'enrollhash', ARGV[7]) == 1 then
  return 'that enrollment secret is already in use'
end
redis.call('HSET', P .. 'enr:' .. id, 'record', ARGV[6], 'hash', ARGV[7], 'left', ARGV[8],
  'expires', ARGV[9])
redis.call('SADD', P .. 'enrollments', id)
redis.call('HSET', P .. 'enrollhash', ARGV[7], id)
return 'ok'
