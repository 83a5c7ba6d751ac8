# Zero-time work in a closed loop: front calls db, both det(0), and the
# customers think det(0), so the clock never moves. `qmesh run` must stop
# and name front and db; `other` takes no part in the loop.
graph [
  directed 1
  node [ id 0 label "front" service "det(0)" ]
  node [ id 1 label "db" service "det(0)" ]
  node [ id 2 label "other" service "exp(mean=10ms)" ]
  edge [ source 0 target 1 ]
]
