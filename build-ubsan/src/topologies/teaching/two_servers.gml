# Two separate single-server stations with nothing between them: each
# teaching scenario that uses this file sends its own workload to each
# (lesson 3, "two M/M/1 instead of one M/M/2").
graph [
  directed 1
  node [ id 0 label "left"  service "exp(mean=10ms)" ]
  node [ id 1 label "right" service "exp(mean=10ms)" ]
]
