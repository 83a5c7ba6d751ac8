# ana_graph fixture: a chain of synchronous calls a -> b -> c -> d with
# deterministic service times (b also has post-work), for call depth,
# betweenness on a path and the latency sum.
#   R(d) = 3.3 ms, R(c) = 7.5 + 3.3 = 10.8 ms,
#   R(b) = 4.1 + 1.25 + 10.8 = 16.15 ms, R(a) = 2.385 + 16.15 = 18.535 ms
graph [
  directed 1
  node [ id 0 label "a" service "det(2.385ms)" ]
  node [ id 1 label "b" service "det(4.1ms)" post_service "det(1.25ms)" ]
  node [ id 2 label "c" service "det(7.5ms)" ]
  node [ id 3 label "d" service "det(3.3ms)" ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 3 ]
]
