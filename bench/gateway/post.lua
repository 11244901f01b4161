-- wrk script: POST the JSON body given after `--`.
local body
function init(args)
  body = args[1]
end
function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer sk-bench" }, body)
end
