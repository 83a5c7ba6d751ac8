# Four replicas of one exponential server behind a load balancer; the
# policy is set by each test.
graph [
  directed 1
  node [ id 0 label "api" replicas 4 service "exp(mean=10ms)" ]
]
