# ana_graph fixture: in enters a forward loop x -> y -> x that never lets
# a request go (probability 1 both ways): latency unbounded, no error,
# and the critical path stops when it comes back to x.
graph [
  directed 1
  node [ id 0 label "in" service "det(1ms)" ]
  node [ id 1 label "x" service "det(2ms)" ]
  node [ id 2 label "y" service "det(3ms)" ]
  edge [ source 0 target 1 kind "forward" ]
  edge [ source 1 target 2 kind "forward" ]
  edge [ source 2 target 1 kind "forward" ]
]
