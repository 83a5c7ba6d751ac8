# bad_capacity_max.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" capacity 1e12 ]
  edge [ source 0 target 1 ]
]
