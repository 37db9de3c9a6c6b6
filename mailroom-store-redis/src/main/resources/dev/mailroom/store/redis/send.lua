-- MessageStore.send, all or nothing. ARGV: 4 route ('m' one mailbox, 'a' every agent), 5 mailbox,
-- 6 its kind, 7 sender, 8 idempotency key ('' for none), 9 dedupe window ms, 10 inbox bound,
-- 11 ttl ms, 12 the encoded draft, 13 subscriber count S, then S groups of (agent, subscription,
-- push '1'|'0', queue bound).
-- Returns {'dup', id, recipients} | {'conflict', reason} |
-- {'ok', id, recipients, dropped, published (1 if a 'D' event was published)}.
-- Publishes a 'D' event: id, pushed 'agent|subscription|bound' list, reached agents, message.
local route, name, kind, sender = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local key, dedupe = ARGV[8], tonumber(ARGV[9])
local maxInbox, ttl, draft = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]

local keyField = sender .. '\n' .. key
if key ~= '' then
  local earlier = redis.call('HGET', P .. 'idem', keyField)
  if earlier then
    local hex, n, at = string.match(earlier, '^(%x+):(%d+):(%d+)$')
    if NOW < tonumber(at) + dedupe then
      return {'dup', hex, n}
    end
  end
end

-- The plan: mailboxes (the route's own first) and who is reached through what.
local boxes, reached = {}, {}
if route == 'm' then
  local existing = redis.call('HGET', P .. 'mb:' .. name, 'kind')
  if existing and existing ~= kind then
    return {'conflict', 'mailbox ' .. name .. ' is a ' .. existing .. ' mailbox, not ' .. kind}
  end
  if (not existing) and kind == 'agent' then
    return {'conflict', 'there is no agent ' .. name}
  end
  boxes[1] = name
  if kind == 'agent' then
    reached[1] = {name, 'inbox', '1', 2147483647}
  else
    local seen = {}
    for i = 0, tonumber(ARGV[13]) - 1 do
      local a = ARGV[14 + 4 * i]
      if a ~= sender and not seen[a] and redis.call('HEXISTS', P .. 'agents', a) == 1 then
        seen[a] = true
        boxes[#boxes + 1] = a
        reached[#reached + 1] = {a, ARGV[15 + 4 * i], ARGV[16 + 4 * i], tonumber(ARGV[17 + 4 * i])}
      end
    end
  end
else
  for _, a in ipairs(redis.call('HKEYS', P .. 'agents')) do
    if a ~= sender then
      boxes[#boxes + 1] = a
      reached[#reached + 1] = {a, 'inbox', '1', 2147483647}
    end
  end
end

-- A fresh id, above every id given before even if the clock went back.
local g = redis.call('HMGET', P .. 'idgen', 'ms', 'seq')
local ms, seq = tonumber(g[1] or '0'), tonumber(g[2] or '0')
if NOW > ms then
  ms, seq = NOW, 0
else
  seq = seq + 1
  if seq > 1048575 then
    ms, seq = ms + 1, 0
  end
end
redis.call('HSET', P .. 'idgen', 'ms', string.format('%d', ms), 'seq', string.format('%d', seq))
local hex = string.format('%011x%05x', ms, seq)

local recipients = #boxes
if route == 'm' and kind == 'topic' then
  recipients = recipients - 1
end
local expiresAt = ms + ttl
redis.call('HSET', P .. 'msgs', hex, string.format('%d:%d:', recipients, expiresAt) .. draft)
redis.call('ZADD', P .. 'exp', expiresAt, hex)
redis.call('HSET', P .. 'where', hex, table.concat(boxes, '\n'))

local dropped = 0
for i, b in ipairs(boxes) do
  local mb = P .. 'mb:' .. b
  local bkind = 'agent'
  if i == 1 and route == 'm' then
    bkind = kind
    if redis.call('EXISTS', mb) == 0 then
      create(b, kind)
    end
  end
  local e = P .. 'e:' .. b
  if bkind == 'agent' then
    local size = redis.call('ZCARD', e)
    while size >= maxInbox do
      local oldest = redis.call('ZPOPMIN', e)
      unpend(b, oldest[1])
      redis.call('HINCRBY', mb, 'dropped', 1)
      dropped = dropped + 1
      size = size - 1
    end
  end
  redis.call('ZADD', e, 0, hex)
  redis.call('HINCRBY', mb, 'total', 1)
  redis.call('HSET', mb, 'last', string.format('%d', ms))
end

if key ~= '' then
  redis.call('HSET', P .. 'idem', keyField, hex .. ':' .. recipients .. ':' .. string.format('%d', NOW))
  redis.call('ZADD', P .. 'idemx', NOW, keyField)
end

local result = {'ok', hex, recipients, dropped, 0}
local pushed, agents = {}, {}
for _, r in ipairs(reached) do
  agents[#agents + 1] = r[1]
  if r[3] == '1' then
    local sub = r[2]
    enqueue(r[1], hex, sub, 0)
    if sub ~= 'inbox' then
      -- A full subscription queue drops its oldest pending delivery.
      local ps = P .. 'ps:' .. sub
      local n = redis.call('ZCARD', ps)
      while n > r[4] do
        local h, a = string.match(redis.call('ZRANGE', ps, 0, 0)[1], '^(%x+)|(.+)$')
        unpend(a, h)
        n = n - 1
      end
    end
    pushed[#pushed + 1] = r[1] .. '|' .. sub .. '|' .. string.format('%d', r[4])
  end
end
if #agents > 0 then
  -- Every node (this one too) pushes to its streams and wakes its long polls from this, in
  -- commit order.
  result[5] = 1
  event('D', hex, table.concat(pushed, ','), table.concat(agents, ','),
    redis.call('HGET', P .. 'msgs', hex))
end
return result
