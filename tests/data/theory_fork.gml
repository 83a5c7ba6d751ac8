# Two services that call in parallel (fork-join): front calls x and y at
# stage 0, and so does x, whose first edge comes first in the file
# (tests/check_validate.c: theory names the first fork in file order).
graph [
  directed 1
  node [ id 0 label "front" kind "delay" service "det(0)" ]
  node [ id 1 label "x" blocking 0 service "exp(mean=10ms)" ]
  node [ id 2 label "y" blocking 0 service "exp(mean=10ms)" ]
  node [ id 3 label "z" blocking 0 service "exp(mean=10ms)" ]
  edge [ source 1 target 3 stage 0 ]
  edge [ source 0 target 1 stage 0 ]
  edge [ source 0 target 2 stage 0 ]
  edge [ source 1 target 2 stage 0 ]
]
