# bad_edge_count_max.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" ]
  edge [ source 0 target 1 count 10001 ]
]
