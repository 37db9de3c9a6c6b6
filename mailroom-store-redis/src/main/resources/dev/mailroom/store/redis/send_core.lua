-- One message's send, shared by send.lua and send_batch.lua. A send is a table: route ('m' one
-- mailbox, 'a' every agent), name (the mailbox), kind (its kind), sender, key (idempotency key, ''
-- for none), dedupe (window, ms), maxInbox (inbox bound), ttl (ms), draft (the encoded draft) and
-- subs: the subscribers, each {agent, subscription, push '1'|'0', queue bound}.

-- Reads one send from ARGV at index i: route, mailbox, kind, sender, idempotency key, dedupe
-- window ms, inbox bound, ttl ms, the encoded draft, a subscriber count S, then S groups of
-- (agent, subscription, push '1'|'0', queue bound). Returns the send and the index after it.
local function readSend(i)
  local m = {route = ARGV[i], name = ARGV[i + 1], kind = ARGV[i + 2], sender = ARGV[i + 3],
    key = ARGV[i + 4], dedupe = tonumber(ARGV[i + 5]), maxInbox = tonumber(ARGV[i + 6]),
    ttl = tonumber(ARGV[i + 7]), draft = ARGV[i + 8], subs = {}}
  local count = tonumber(ARGV[i + 9])
  for j = 0, count - 1 do
    local b = i + 10 + 4 * j
    m.subs[j + 1] = {ARGV[b], ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3])}
  end
  return m, i + 10 + 4 * count
end

-- The earlier send's 'hex:recipients:at' if the sender used this idempotency key within the
-- window, else nil.
local function earlier(m)
  if m.key == '' then
    return nil
  end
  local found = redis.call('HGET', P .. 'idem', m.sender .. '\n' .. m.key)
  if found then
    local at = tonumber(string.match(found, '^%x+:%d+:(%d+)$'))
    if NOW < at + m.dedupe then
      return found
    end
  end
  return nil
end

-- Why the send's mailbox refuses it, or nil. kinds, if given, holds the kinds that earlier sends
-- of the same batch give mailboxes they create (name -> kind), and learns this one's.
local function conflict(m, kinds)
  if m.route ~= 'm' then
    return nil
  end
  local existing = (kinds and kinds[m.name]) or redis.call('HGET', P .. 'mb:' .. m.name, 'kind')
  if existing and existing ~= m.kind then
    return 'mailbox ' .. m.name .. ' is a ' .. existing .. ' mailbox, not ' .. m.kind
  end
  if (not existing) and m.kind == 'agent' then
    return 'there is no agent ' .. m.name
  end
  if kinds then
    kinds[m.name] = m.kind
  end
  return nil
end

-- Stores one send, all or nothing. Returns {'dup', id, recipients} | {'conflict', reason} |
-- {'ok', id, recipients, dropped, published (1 if a 'D' event was published)}, and publishes a
-- 'D' event: id, pushed 'agent|subscription|bound' list, reached agents, message.
local function store(m)
  local route, name, kind, sender = m.route, m.name, m.kind, m.sender
  local key, maxInbox, ttl, draft = m.key, m.maxInbox, m.ttl, m.draft
  local keyField = sender .. '\n' .. key
  local dup = earlier(m)
  if dup then
    local hex, n = string.match(dup, '^(%x+):(%d+):')
    return {'dup', hex, n}
  end
  local why = conflict(m, nil)
  if why then
    return {'conflict', why}
  end

  -- The plan: mailboxes (the route's own first) and who is reached through what.
  local boxes, reached = {}, {}
  if route == 'm' then
    boxes[1] = name
    if kind == 'agent' then
      reached[1] = {name, 'inbox', '1', 2147483647}
    else
      local seen = {}
      for _, s in ipairs(m.subs) do
        local a = s[1]
        if a ~= sender and not seen[a] and redis.call('HEXISTS', P .. 'agents', a) == 1 then
          seen[a] = true
          boxes[#boxes + 1] = a
          reached[#reached + 1] = s
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
end
