# A client that does no work of its own calls a server of 4 workers,
# 10 ms each: capacity 400 requests/s. See scenarios/retry_storm.yaml.
graph [
  directed 1
  node [ id 0 label "client" kind "delay" service "det(0)" ]
  node [ id 1 label "server" servers 4 service "exp(mean=10ms)" ]
  edge [ source 0 target 1 ]
]
