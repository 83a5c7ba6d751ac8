# Deterministic times for the windowed attempts of classes that reach
# different call edges (check_mdl_series.c): x (no work) calls a for
# requests of class `reader` and b for `writer`, 125 ms each.
graph [
  directed 1
  node [ id 0 label "x" kind "delay" service "det(0)" ]
  node [ id 1 label "a" service "det(125ms)" servers 1 ]
  node [ id 2 label "b" service "det(125ms)" servers 1 ]
  edge [ source 0 target 1 types "reader" ]
  edge [ source 0 target 2 types "writer" ]
]
