# Lesson 8 (docs/teaching.md): a request through a chain of five
# services, each calling the next; each answers an error with a
# probability set in the scenario.
graph [
  directed 1
  node [ id 0 label "s1" service "exp(mean=1ms)" servers 4 ]
  node [ id 1 label "s2" service "exp(mean=1ms)" servers 4 ]
  node [ id 2 label "s3" service "exp(mean=1ms)" servers 4 ]
  node [ id 3 label "s4" service "exp(mean=1ms)" servers 4 ]
  node [ id 4 label "s5" service "exp(mean=1ms)" servers 4 ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 3 ]
  edge [ source 3 target 4 ]
]
