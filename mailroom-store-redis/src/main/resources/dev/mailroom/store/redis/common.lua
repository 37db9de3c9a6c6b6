-- Shared by every Mailroom script (prepended to each). ARGV[1] is the key prefix, "{ns}:", whose
-- hash tag puts every key of one Mailroom system in one Redis Cluster slot; ARGV[2] is the
-- node's clock in epoch milliseconds (the store takes time from its clock, not from Redis);
-- ARGV[3] is the node's id, which events carry so a node can skip its own. A script's own
-- arguments start at ARGV[4].
-- Ids are 16 lower-case hex digits, so they sort as text in sorted sets whose scores are all 0.
local P = ARGV[1]
local NOW = tonumber(ARGV[2])
local NODE = ARGV[3]

-- Tells every node (each subscribes to this channel) what changed: a type letter, the node, then
-- the fields, separated by newlines.
local function event(kind, ...)
  redis.call('PUBLISH', P .. 'events', table.concat({kind, NODE, ...}, '\n'))
end

-- Whether a message exists and has not expired.
local function live(hex)
  local e = redis.call('ZSCORE', P .. 'exp', hex)
  return e and tonumber(e) > NOW
end

-- Takes an agent's pending delivery out of its queue; returns its subscription, or nil.
local function unpend(agent, hex)
  local d = redis.call('HGET', P .. 'd:' .. agent, hex)
  if not d then
    return nil
  end
  local sub = string.match(d, '^([^|]*)|')
  redis.call('HDEL', P .. 'd:' .. agent, hex)
  redis.call('ZREM', P .. 'p:' .. agent, hex)
  redis.call('ZREM', P .. 'ps:' .. sub, hex .. '|' .. agent)
  redis.call('HINCRBY', P .. 'q', sub, -1)
  return sub, d
end

-- Puts a delivery in an agent's queue and in its subscription's.
local function enqueue(agent, hex, sub, attempts)
  redis.call('ZADD', P .. 'p:' .. agent, 0, hex)
  redis.call('HSET', P .. 'd:' .. agent, hex, sub .. '|' .. attempts)
  redis.call('ZADD', P .. 'ps:' .. sub, 0, hex .. '|' .. agent)
  redis.call('HINCRBY', P .. 'q', sub, 1)
end

-- Creates a mailbox; a topic is also listed by name.
local function create(name, kind)
  redis.call('HSET', P .. 'mb:' .. name, 'kind', kind, 'dropped', 0, 'total', 0,
    'created', NOW, 'peak', 0)
  if kind == 'topic' then
    redis.call('ZADD', P .. 'topics', 0, name)
  end
end
