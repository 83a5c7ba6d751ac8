# One exponential server: the M/M/1 queue.
graph [
  directed 1
  node [ id 0 label "server" service "exp(mean=10ms)" ]
]
