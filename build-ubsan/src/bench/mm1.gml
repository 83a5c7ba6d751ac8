# Benchmark topology: one exponential server of mean 10 ms, the M/M/1
# queue; bench/mm1.yaml feeds it at 90/s (load 0.9).
graph [
  directed 1
  node [ id 0 label "server" service "exp(mean=10ms)" ]
]
