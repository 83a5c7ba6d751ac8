# bad_undirected.gml
graph [
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" ]
  node [ id 2 label "payments" ]
  edge [ source 0 target 1 ]
]
