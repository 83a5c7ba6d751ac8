# bad_service.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" service "expo(mean=5ms)" ]
  node [ id 2 label "payments" ]
  edge [ source 0 target 1 ]
]
