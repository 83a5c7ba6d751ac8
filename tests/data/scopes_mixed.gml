# Edge numbering and stages with the edges of a service interleaved with
# others' and out of stage order: a calls b twice (call:a->b#0, #1) and
# c twice (call:a->c#0, #1), publishes to c twice (publish:a->c#0, #1,
# numbered apart from the calls), and forwards to b (no scope, no number
# taken from the calls to b); b calls c once (call:b->c, no number).
# a's stages, edges in file order within each: 0 {1, 3, 6}, 1 {0, 4},
# 2 {5}.
graph [
  directed 1
  node [ id 0 label "a" service "det(1ms)" ]
  node [ id 1 label "b" service "det(2ms)" ]
  node [ id 2 label "c" service "det(3ms)" ]
  edge [ source 0 target 1 stage 1 ]
  edge [ source 0 target 2 stage 0 ]
  edge [ source 1 target 2 stage 0 ]
  edge [ source 0 target 1 stage 0 ]
  edge [ source 0 target 2 kind "publish" stage 1 ]
  edge [ source 0 target 2 stage 2 ]
  edge [ source 0 target 2 kind "publish" stage 0 ]
  edge [ source 0 target 1 kind "forward" p 0.5 ]
]
