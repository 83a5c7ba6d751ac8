# bad_servers_max.gml
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" servers 2147483647 ]
  edge [ source 0 target 1 ]
]
