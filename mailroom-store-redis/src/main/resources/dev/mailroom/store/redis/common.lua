-- Shared by every Mailroom script (prepended to each). ARGV[1] is the prefix of the keys the
-- script works on: the system's own, "{ns}:", or one shard's (see KeySpace). Its hash tag is the
-- script's one Cluster slot: a script touches no other, except on a single Redis, where a send
-- reaches every shard at once. ARGV[2] is the node's clock in epoch milliseconds (the store takes
-- time from its clock, not from Redis); ARGV[3] is the node's id and the write's token, which
-- events carry so a node can tell its own; ARGV[4] is the prefix of the system's own keys, whose
-- 'events' channel every node listens to. A script's own arguments start at ARGV[5].
-- Ids are 16 lower-case hex digits, so they sort as text in sorted sets whose scores are all 0.
local P = ARGV[1]
local NOW = tonumber(ARGV[2])
local NODE = ARGV[3]
local C = ARGV[4]

-- Tells every node (each subscribes to this channel) what changed: a type letter, the node, then
-- the fields, separated by newlines. Pub/sub is not bound to a slot: a Cluster passes it to every
-- node.
local function event(kind, ...)
  redis.call('PUBLISH', C .. 'events', table.concat({kind, NODE, ...}, '\n'))
end

-- Whether a message that shard S refers to exists and has not expired.
local function live(S, hex)
  local e = redis.call('ZSCORE', S .. 'exp', hex)
  return e and tonumber(e) > NOW
end

-- Takes an agent's pending delivery (in the agent's shard S) out of its queue; returns its
-- subscription, or nil.
local function unpend(S, agent, hex)
  local d = redis.call('HGET', S .. 'd:' .. agent, hex)
  if not d then
    return nil
  end
  local sub = string.match(d, '^([^|]*)|')
  redis.call('HDEL', S .. 'd:' .. agent, hex)
  redis.call('ZREM', S .. 'p:' .. agent, hex)
  redis.call('ZREM', S .. 'ps:' .. sub, hex .. '|' .. agent)
  redis.call('HINCRBY', S .. 'q', sub, -1)
  return sub, d
end

-- Puts a delivery in an agent's queue and in its subscription's, in the agent's shard S. Returns
-- the subscription's pending count.
local function enqueue(S, agent, hex, sub, attempts)
  redis.call('ZADD', S .. 'p:' .. agent, 0, hex)
  redis.call('HSET', S .. 'd:' .. agent, hex, sub .. '|' .. attempts)
  redis.call('ZADD', S .. 'ps:' .. sub, 0, hex .. '|' .. agent)
  return redis.call('HINCRBY', S .. 'q', sub, 1)
end

-- Creates a mailbox in its shard S.
local function create(S, name, kind)
  redis.call('HSET', S .. 'mb:' .. name, 'kind', kind, 'dropped', 0, 'total', 0,
    'created', NOW, 'peak', 0)
end
