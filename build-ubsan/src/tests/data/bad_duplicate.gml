# bad_duplicate.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" ]
  node [ id 2 label "payments" ]
  node [ id 3 label "cart" ]
  edge [ source 0 target 1 ]
]
