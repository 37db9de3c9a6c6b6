-- ObligationStore.noticed. ARGV: 5 the hex id, 6 when the notice went out, in ms. Records it
-- unless one was recorded already, and takes the obligation off the sweeper's queue. Returns 1 if
-- this call recorded it, else 0.
local id = ARGV[5]
if redis.call('HEXISTS', P .. 'og', id) == 0 then
  return 0
end
if redis.call('HSETNX', P .. 'ogn', id, ARGV[6]) == 0 then
  return 0
end
redis.call('ZREM', P .. 'ogdue', id)
return 1
