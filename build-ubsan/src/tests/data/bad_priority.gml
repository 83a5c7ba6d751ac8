# bad_priority.gml: a discipline qmesh knows but does not simulate yet
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" discipline "priority" ]
  edge [ source 0 target 1 ]
]
