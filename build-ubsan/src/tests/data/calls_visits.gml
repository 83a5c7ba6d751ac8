# Visits per request: 3 calls to a, 40% of them call b, half of the
# visits to b forward to c: a = 3, b = 1.2, c = 0.6.
graph [
  directed 1
  node [ id 0 label "gw" service "exp(mean=2ms)" blocking 0 ]
  node [ id 1 label "a" service "exp(mean=3ms)" blocking 0 ]
  node [ id 2 label "b" service "exp(mean=5ms)" blocking 0 ]
  node [ id 3 label "c" service "exp(mean=4ms)" blocking 0 ]
  edge [ source 0 target 1 count 3 ]
  edge [ source 1 target 2 p 0.4 ]
  edge [ source 2 target 3 kind "forward" p 0.5 ]
]
