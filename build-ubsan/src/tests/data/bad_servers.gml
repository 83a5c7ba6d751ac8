# bad_servers.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" servers -2 ]
  node [ id 2 label "payments" ]
  edge [ source 0 target 1 ]
]
