-- DeliveryStore.saveSubscription. ARGV: 4 id, 5 encoded subscription. Returns 0 if the id is taken.
if redis.call('HSETNX', P .. 'subs', ARGV[4], ARGV[5]) == 0 then
  return 0
end
event('S', ARGV[4])
return 1
