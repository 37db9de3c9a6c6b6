-- AgentStore.deleteEnrollment, in the system's keys. ARGV: 5 id. Returns 1 if it was there, else 0.
local id = ARGV[5]
local hash = redis.call('HGET', P .. 'enr:' .. id, 'hash')
if not hash then
  return 0
end
redis.call('DEL', P .. 'enr:' .. id)
redis.call('SREM', P .. 'enrollments', id)
redis.call('HDEL', P .. 'enrollhash', hash)
return 1
