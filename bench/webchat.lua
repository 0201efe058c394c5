-- wrk: one web chat message per request, each from a random visitor of 10,000.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local texts = { "what are your opening hours?", "do you ship abroad?", "opening hours please" }
request = function()
  local body = string.format('{"visitor_id":"v%d","text":"%s"}', math.random(1, 10000), texts[math.random(1, #texts)])
  return wrk.format(nil, nil, nil, body)
end
