# Deterministic service times for exact tests of the engine
# (check_mdl_net.c); each part is reached by pointing a workload at it.
#   s          one station, 10 ms per request (servers, discipline and
#              capacity set by the test)
#   f1 => f2 => f3   a forward chain, 1 + 2 + 3 ms
#   a          calls b (2 ms) and c (5 ms) in parallel, then d (1 ms)
#              twice in a row: 1 + max(2, 5) + 2 x 1 = 8 ms
#   p          one worker, 1 ms, calls q (10 ms, ten workers)
#   g -> h -> i   calls down a chain: 1 ms, 1 ms, 10 ms (ample workers)
#   x -> k     a client that does no work calls k (one worker, 10 ms)
graph [
  directed 1
  node [ id 0 label "s" service "det(10ms)" ]
  node [ id 1 label "f1" service "det(1ms)" ]
  node [ id 2 label "f2" service "det(2ms)" ]
  node [ id 3 label "f3" service "det(3ms)" ]
  node [ id 4 label "a" service "det(1ms)" servers 4 ]
  node [ id 5 label "b" service "det(2ms)" servers 4 ]
  node [ id 6 label "c" service "det(5ms)" servers 4 ]
  node [ id 7 label "d" service "det(1ms)" servers 4 ]
  node [ id 8 label "p" service "det(1ms)" servers 1 ]
  node [ id 9 label "q" service "det(10ms)" servers 10 ]
  node [ id 10 label "g" service "det(1ms)" servers 4 ]
  node [ id 11 label "h" service "det(1ms)" servers 4 ]
  node [ id 12 label "i" service "det(10ms)" servers 10 ]
  node [ id 13 label "x" kind "delay" service "det(0)" ]
  node [ id 14 label "k" service "det(10ms)" servers 1 ]
  edge [ source 1 target 2 kind "forward" ]
  edge [ source 2 target 3 kind "forward" ]
  edge [ source 4 target 5 stage 0 ]
  edge [ source 4 target 6 stage 0 ]
  edge [ source 4 target 7 stage 1 count 2 ]
  edge [ source 8 target 9 ]
  edge [ source 10 target 11 ]
  edge [ source 11 target 12 ]
  edge [ source 13 target 14 ]
]
