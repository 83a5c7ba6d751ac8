# bad_nan_p.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" ]
  edge [ source 0 target 1
         p nan ]
]
