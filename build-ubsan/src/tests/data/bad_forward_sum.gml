# bad_forward_sum.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" ]
  node [ id 2 label "payments" ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 kind "forward" p 0.7 ]
  edge [ source 1 target 1 kind "forward" p 0.5 ]
]
