-- Reads obligations. ARGV: 5 and on, hex ids. Returns, per id, its fixed part, how it was met and
-- when it was noticed, each '' when absent (so a missing obligation is three empty strings).
local out = {}
for i = 5, #ARGV do
  local id = ARGV[i]
  out[#out + 1] = redis.call('HGET', P .. 'og', id) or ''
  out[#out + 1] = redis.call('HGET', P .. 'ogm', id) or ''
  out[#out + 1] = redis.call('HGET', P .. 'ogn', id) or ''
end
return out
