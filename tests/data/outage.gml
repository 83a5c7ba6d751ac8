# A client that does no work calls a server (1 ms) behind a circuit
# breaker (check_failures.c).
graph [
  directed 1
  node [ id 0 label "client" kind "delay" service "det(0)" ]
  node [ id 1 label "server" service "det(1ms)" servers 10 ]
  edge [ source 0 target 1 ]
]
