# Scope names: a calls b in stage 0 and again in stage 1 (call:a->b#0 and
# #1), and in stage 2 only publishes to c, which waits for nothing: no
# stage:a#2 row.
graph [
  directed 1
  node [ id 0 label "a" service "det(1ms)" ]
  node [ id 1 label "b" service "det(2ms)" replicas 2 ]
  node [ id 2 label "c" service "det(3ms)" ]
  edge [ source 0 target 1 stage 0 ]
  edge [ source 0 target 1 stage 1 ]
  edge [ source 0 target 2 kind "publish" stage 2 ]
]
