-- wrk: one web chat message per request, each from a random visitor of those whose server-signed
-- tokens are listed, one a line, in the file WEBCHAT_TOKENS names (bench/ai.sh fetches them first).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local texts = { "what are your opening hours?", "do you ship abroad?", "opening hours please" }
local tokens = {}
for line in io.lines(os.getenv("WEBCHAT_TOKENS")) do tokens[#tokens + 1] = line end
request = function()
  local body = string.format('{"visitor_token":"%s","text":"%s"}', tokens[math.random(1, #tokens)], texts[math.random(1, #texts)])
  return wrk.format(nil, nil, nil, body)
end
