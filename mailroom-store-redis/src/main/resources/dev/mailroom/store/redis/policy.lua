-- AccessStore.replacePolicy. ARGV: 5 the version the node expects to replace, 6 the new document.
-- Returns the new version, or 0 (storing nothing) if the stored version is another.
local version = tonumber(redis.call('HGET', P .. 'policy', 'version') or '0')
if version ~= tonumber(ARGV[5]) then
  return 0
end
redis.call('HSET', P .. 'policy', 'version', version + 1, 'content', ARGV[6])
event('P', version + 1)
return version + 1
