# ana_graph fixture: gw calls a, and a -> b -> c -> a call each other in a
# cycle, which would deadlock: `qmesh graph` must fail naming a, b and c.
graph [
  directed 1
  node [ id 0 label "gw" ]
  node [ id 1 label "a" ]
  node [ id 2 label "b" ]
  node [ id 3 label "c" ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 3 ]
  edge [ source 3 target 1 ]
]
