-- ObligationStore.meet. ARGV: 5 the hex id, 6 how it was met. Records it unless it was met
-- already (the first stays), and takes it off the unmet sets and the sweeper's queue.
-- Returns 1 if this call met it, 0 if it was met already, -1 if there is no such obligation.
local id = ARGV[5]
local fixed = redis.call('HGET', P .. 'og', id)
if not fixed then
  return -1
end
if redis.call('HSETNX', P .. 'ogm', id, ARGV[6]) == 0 then
  return 0
end
local sender, target, thread = obligation_parts(fixed)
redis.call('SREM', P .. 'og:th:' .. thread, id)
redis.call('ZREM', P .. 'og:su:' .. sender, id)
redis.call('ZREM', P .. 'og:tu:' .. target, id)
redis.call('ZREM', P .. 'ogdue', id)
return 1
