# A client that does no work of its own (an infinite-server station
# with det(0)) calls an M/M/1 server: the server's sojourn is the call's
# latency, so a timeout on the call cuts an exponential sojourn.
graph [
  directed 1
  node [ id 0 label "client" kind "delay" service "det(0)" ]
  node [ id 1 label "server" service "exp(mean=10ms)" ]
  edge [ source 0 target 1 ]
]
