# bad_nan_servers.gml: igraph reads NaN as a missing number
graph [
  directed 1
  node [ id 0 label "gateway" ]
  node [ id 1 label "cart" servers NaN ]
  edge [ source 0 target 1 ]
]
