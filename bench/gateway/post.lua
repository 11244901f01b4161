-- wrk script: POST the JSON body given after `--`, with the Bearer token that follows it.
local body, token
function init(args)
  body = args[1]
  token = args[2]
end
function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
