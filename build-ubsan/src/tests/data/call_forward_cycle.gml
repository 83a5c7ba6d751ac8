# gw calls a, a calls b, and b forwards the request back to a with p 0.5,
# while a waits for b's reply: a deadlock that `qmesh check` must name.
graph [
  directed 1
  node [ id 0 label "gw" ]
  node [ id 1 label "a" ]
  node [ id 2 label "b" ]
  edge [ source 0 target 1 kind "call" ]
  edge [ source 1 target 2 kind "call" ]
  edge [ source 2 target 1 kind "forward" p 0.5 ]
]
