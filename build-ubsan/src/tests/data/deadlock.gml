# For the deadlock watchdog: a (one worker, blocking) calls b, and b
# forwards to c. The test then points the forward edge back at a, which a
# topology file may not do: the request waits for a's only worker, which
# its own caller holds.
graph [
  directed 1
  node [ id 0 label "a" servers 1 service "det(1ms)" ]
  node [ id 1 label "b" service "det(2ms)" ]
  node [ id 2 label "c" service "det(3ms)" ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 kind "forward" ]
]
