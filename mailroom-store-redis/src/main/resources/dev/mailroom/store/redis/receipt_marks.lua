-- ObligationStore.record, for one shard: the receipt marks of the messages that live there. A
-- message's marks are the hash 'rm:<hex id>' of its shard, fields 'd:<agent>' (delivered) and
-- 'a:<agent>' (acknowledged) holding the first time in ms; 'rmexp' holds the marked ids by their
-- message's expiry. ARGV: from 5, quadruples of hex id, field, time in ms, expiry in ms.
for i = 5, #ARGV, 4 do
  redis.call('HSETNX', P .. 'rm:' .. ARGV[i], ARGV[i + 1], ARGV[i + 2])
  redis.call('ZADD', P .. 'rmexp', tonumber(ARGV[i + 3]), ARGV[i])
end
return 0
