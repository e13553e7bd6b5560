-- wrk script: POST the chat request in request.json with the headers given in HEADERS (k=v;k=v).
local f = io.open(os.getenv("REQUEST_FILE"), "r")
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
for pair in string.gmatch(os.getenv("HEADERS") or "", "([^;]+)") do
  local k, v = pair:match("([^=]+)=(.*)")
  wrk.headers[k] = v
end
