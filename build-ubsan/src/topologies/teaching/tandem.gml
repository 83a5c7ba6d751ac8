# Three exponential single-server stations in series (lesson 6): every
# request visits a, then b, then c, and leaves.
graph [
  directed 1
  node [ id 0 label "a" service "exp(mean=4ms)" ]
  node [ id 1 label "b" service "exp(mean=6ms)" ]
  node [ id 2 label "c" service "exp(mean=5ms)" ]
  edge [ source 0 target 1 kind "forward" p 1 ]
  edge [ source 1 target 2 kind "forward" p 1 ]
]
