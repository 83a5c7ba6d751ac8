# one.gml - one exponential server for the scenario tests.
graph [
  directed 1
  node [ id 0 label "server" service "exp(mean=10ms)" ]
]
