-- One message's send, shared by send.lua and send_batch.lua, and the delivery of a message to the
-- agents of one shard, shared with deliver.lua.
--
-- A send is stored in its home shard (prefix m.home): the message, under the id the node chose
-- (NodeIds: the shard in its lowest bits), the mailbox it was sent to, its idempotency key.
-- Its subscribers (or, for a broadcast, every agent) come in groups, one per shard. A group the
-- script may reach (every group on a single Redis; in a Cluster only the home shard's, since a
-- script touches one slot) is delivered at once; the others are written to the home shard's
-- outbox ('ob' by time, 'obx' id -> what is still to do), delivered by deliver.lua in their own
-- shards, and settled by done.lua, which publishes the message's event. A node that dies half way
-- leaves the outbox entry behind; the cleaner of any node finishes it (RedisMessageStore).

-- Every shard's 'exp' holds every id its keys refer to, with the message's expiry, and 'where'
-- the shard's mailboxes that hold it: so expiry, acknowledgements and cleaning stay in one shard.
-- boxes is the list of the shard's mailboxes that now hold the message.
local function refer(S, hex, expiresAt, boxes)
  if #boxes == 0 then
    return
  end
  redis.call('ZADD', S .. 'exp', expiresAt, hex)
  local w = redis.call('HGET', S .. 'where', hex)
  local added = table.concat(boxes, '\n')
  redis.call('HSET', S .. 'where', hex, w and (w .. '\n' .. added) or added)
end

-- Puts a message in an agent's inbox, dropping its oldest first if the inbox is full. Returns how
-- many were dropped.
local function inbox(S, agent, hex, maxInbox)
  local e, mb = S .. 'e:' .. agent, S .. 'mb:' .. agent
  local dropped, size = 0, redis.call('ZCARD', e)
  while size >= maxInbox do
    local oldest = redis.call('ZPOPMIN', e)
    unpend(S, agent, oldest[1])
    redis.call('HINCRBY', mb, 'dropped', 1)
    dropped = dropped + 1
    size = size - 1
  end
  redis.call('ZADD', e, 0, hex)
  redis.call('HINCRBY', mb, 'total', 1)
  redis.call('HSET', mb, 'last', string.format('%d', tonumber(string.sub(hex, 1, 11), 16)))
  return dropped
end

-- Queues a delivery for its subscription; a full subscription queue drops its oldest. Returns the
-- pushed recipient 'agent|subscription|bound'.
local function push(S, agent, hex, sub, bound)
  -- The count enqueue keeps says whether the queue may be over its bound; only then is the queue
  -- itself counted and trimmed.
  if enqueue(S, agent, hex, sub, 0) > bound and sub ~= 'inbox' then
    local ps = S .. 'ps:' .. sub
    local n = redis.call('ZCARD', ps)
    while n > bound do
      local h, a = string.match(redis.call('ZRANGE', ps, 0, 0)[1], '^(%x+)|(.+)$')
      unpend(S, a, h)
      n = n - 1
    end
  end
  return agent .. '|' .. sub .. '|' .. string.format('%d', bound)
end

-- Delivers a message to the agents of one shard: subs is a list of {agent, subscription, push
-- '1'|'0', queue bound}, an agent's first entry winning; the sender and names that are not agents
-- are skipped. Unless fresh (the message was stored by this very script, so no agent has it yet),
-- running it again for the same message changes nothing and answers the same. Adds the agents
-- reached and the pushed recipients to the given lists; returns how many inbox entries were
-- dropped.
local function deliver(S, hex, expiresAt, sender, maxInbox, subs, agents, pushed, fresh)
  local seen, dropped, boxes = {}, 0, {}
  for _, s in ipairs(subs) do
    local a = s[1]
    if a ~= sender and not seen[a] and redis.call('HGET', S .. 'mb:' .. a, 'kind') == 'agent' then
      seen[a] = true
      agents[#agents + 1] = a
      if not fresh and redis.call('ZSCORE', S .. 'e:' .. a, hex) then
        -- Delivered before (an outbox entry finished again): only say so.
        if s[3] == '1' and redis.call('HEXISTS', S .. 'd:' .. a, hex) == 1 then
          pushed[#pushed + 1] = a .. '|' .. s[2] .. '|' .. string.format('%d', s[4])
        end
      else
        boxes[#boxes + 1] = a
        dropped = dropped + inbox(S, a, hex, maxInbox)
        if s[3] == '1' then
          pushed[#pushed + 1] = push(S, a, hex, s[2], s[4])
        end
      end
    end
  end
  refer(S, hex, expiresAt, boxes)
  return dropped
end

-- Reads {agent, subscription, push, bound} groups of four from ARGV at index i, count of them.
local function readSubs(i, count)
  local subs = {}
  for j = 0, count - 1 do
    local b = i + 4 * j
    subs[j + 1] = {ARGV[b], ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3])}
  end
  return subs, i + 4 * count
end

-- Reads one send from ARGV at index i: its id (16 hex digits, chosen by the node), route ('m' one mailbox, 'a' every agent), mailbox, kind,
-- sender, idempotency key ('' for none), dedupe window ms, inbox bound, ttl ms, the encoded draft,
-- the blobs its attachments name (comma-separated, '' for none), the thread it names ('' for
-- none), its search terms (space-separated, search_common.lua), the home shard's prefix, its
-- number and the number of shards, then a group count G and G groups: the shard's prefix, its
-- number, '1' to deliver now or '0' to leave it to the outbox, a count S and S subscribers as
-- readSubs reads them. Returns the send and the index after it.
local function readSend(i)
  local id = ARGV[i]
  i = i + 1
  local m = {id = id, route = ARGV[i], name = ARGV[i + 1], kind = ARGV[i + 2], sender = ARGV[i + 3],
    key = ARGV[i + 4], dedupe = tonumber(ARGV[i + 5]), maxInbox = tonumber(ARGV[i + 6]),
    ttl = tonumber(ARGV[i + 7]), draft = ARGV[i + 8], blobs = ARGV[i + 9], thread = ARGV[i + 10],
    text = ARGV[i + 11], home = ARGV[i + 12], shard = tonumber(ARGV[i + 13]),
    shards = tonumber(ARGV[i + 14]), groups = {}}
  local count = tonumber(ARGV[i + 15])
  i = i + 16
  for g = 1, count do
    local group = {prefix = ARGV[i], shard = ARGV[i + 1], now = ARGV[i + 2] == '1'}
    group.subs, i = readSubs(i + 4, tonumber(ARGV[i + 3]))
    m.groups[g] = group
  end
  return m, i
end

-- The earlier send's 'hex:recipients:at' if the sender used this idempotency key within the
-- window, else nil.
local function earlier(m)
  if m.key == '' then
    return nil
  end
  local found = redis.call('HGET', m.home .. 'idem', m.sender .. '\n' .. m.key)
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
  local existing = (kinds and kinds[m.name])
    or redis.call('HGET', m.home .. 'mb:' .. m.name, 'kind')
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

-- Stores one send, all or nothing. Returns {'dup', id, recipients} (its key or its id was used
-- before) | {'expired', id, 0} (its time to live ran out before it got here) | {'conflict', reason} |
-- {'ok', id, recipients, dropped, published (1 if a 'D' event was published), deferred (1 if
-- groups were left to the outbox), the name of a topic it created ('' if none: the node lists it
-- among the system's topics, which are not in this shard)}. With nothing deferred it publishes
-- the 'D' event: id, pushed 'agent|subscription|bound' list, reached agents, message.
local function store(m)
  local H, route, name, kind, sender = m.home, m.route, m.name, m.kind, m.sender
  local dup = earlier(m)
  if dup then
    local hex, n = string.match(dup, '^(%x+):(%d+):')
    return {'dup', hex, n}
  end
  local hex = m.id
  local ms = tonumber(string.sub(hex, 1, 11), 16)
  local expiresAt = ms + m.ttl
  -- The node chose the id (NodeIds): a send stored before under it is this send again (an attempt
  -- whose answer was lost, or one replayed from the node's spool), and stores nothing more.
  local before = redis.call('HGET', H .. 'msgs', hex)
  if before then
    local n, rest = string.match(before, '^(%d+):%d+:(.*)$')
    if rest ~= m.draft then
      return redis.error_reply('ERR message id ' .. hex .. ' is taken by another message')
    end
    return {'dup', hex, n}
  end
  if expiresAt <= NOW then
    -- Replayed after its time to live: it would be gone at once.
    return {'expired', hex, 0}
  end
  local why = conflict(m, nil)
  if why then
    return {'conflict', why}
  end
  local agents, pushed, dropped, created = {}, {}, 0, ''

  -- The mailbox sent to (none for a broadcast), in the home shard.
  if route == 'm' then
    local mb = H .. 'mb:' .. name
    if redis.call('EXISTS', mb) == 0 then
      create(H, name, kind)
      if kind == 'topic' then
        created = name
      end
    end
    refer(H, hex, expiresAt, {name})
    if kind == 'agent' then
      agents[1] = name
      dropped = inbox(H, name, hex, m.maxInbox)
      pushed[1] = push(H, name, hex, 'inbox', 2147483647)
    else
      local e = H .. 'e:' .. name
      redis.call('ZADD', e, 0, hex)
      redis.call('HINCRBY', mb, 'total', 1)
      redis.call('HSET', mb, 'last', string.format('%d', ms))
    end
  end
  -- The message, with the number of its recipients so far (done.lua sets the rest).
  local own = (route == 'm' and kind == 'shared') and 1 or 0
  local stored = ':' .. string.format('%d', expiresAt) .. ':' .. m.draft
  redis.call('HSET', H .. 'msgs', hex, string.format('%d', own) .. stored)
  redis.call('ZADD', H .. 'exp', expiresAt, hex)
  if m.blobs ~= '' then
    -- The blobs its attachments name, for MessageStore.referenced; cleanup.lua removes the entry
    -- with the message.
    redis.call('HSET', H .. 'att', hex, m.blobs)
  end
  if m.thread ~= '' then
    -- The home shard's index of the thread ('th:<thread>', ids by lex) and the message's thread
    -- ('thx'), so that cleanup.lua can take it out again.
    redis.call('ZADD', H .. 'th:' .. m.thread, 0, hex)
    redis.call('HSET', H .. 'thx', hex, m.thread)
  end
  searchIndex(H, hex, m.text)

  local later = {}
  for _, g in ipairs(m.groups) do
    if g.now then
      dropped = dropped
        + deliver(g.prefix, hex, expiresAt, sender, m.maxInbox, g.subs, agents, pushed, true)
    else
      later[#later + 1] = g
    end
  end
  local recipients = own + #agents

  if m.key ~= '' then
    local field = sender .. '\n' .. m.key
    redis.call('HSET', H .. 'idem', field,
      hex .. ':' .. recipients .. ':' .. string.format('%d', NOW))
    redis.call('ZADD', H .. 'idemx', NOW, field)
  end

  if #later > 0 then
    -- What done.lua needs, and what the cleaner needs to finish it if this node dies: sender,
    -- idempotency key, inbox bound, expiry, recipients so far, agents and pushed so far, dropped so
    -- far, then one line per group left: shard number, then agent|subscription|push|bound
    -- entries, tab-separated.
    local lines = {sender, m.key, string.format('%d', m.maxInbox), string.format('%d', expiresAt),
      string.format('%d', recipients), table.concat(agents, ','), table.concat(pushed, ','),
      string.format('%d', dropped)}
    for _, g in ipairs(later) do
      local parts = {g.shard}
      for _, s in ipairs(g.subs) do
        parts[#parts + 1] = s[1] .. '|' .. s[2] .. '|' .. s[3] .. '|' .. string.format('%d', s[4])
      end
      lines[#lines + 1] = table.concat(parts, '\t')
    end
    redis.call('HSET', H .. 'obx', hex, table.concat(lines, '\n'))
    redis.call('ZADD', H .. 'ob', NOW, hex)
    return {'ok', hex, recipients, dropped, 0, 1, created}
  end

  redis.call('HSET', H .. 'msgs', hex, string.format('%d', recipients) .. stored)
  local published = 0
  if #agents > 0 then
    -- Every node (this one too) pushes to its streams and wakes its long polls from this, in
    -- commit order.
    published = 1
    event('D', hex, table.concat(pushed, ','), table.concat(agents, ','),
      redis.call('HGET', H .. 'msgs', hex))
  end
  return {'ok', hex, recipients, dropped, published, 0, created}
end
