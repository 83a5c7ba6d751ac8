# A synchronous call chain gw -> a -> b through non-blocking services:
# a tandem of M/M/1 queues, so latency = sum of M/M/1 sojourns.
graph [
  directed 1
  node [ id 0 label "gw" service "exp(mean=5ms)" blocking 0 ]
  node [ id 1 label "a" service "exp(mean=8ms)" blocking 0 ]
  node [ id 2 label "b" service "exp(mean=4ms)" blocking 0 ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 ]
]
