# Fork-join: split (no work of its own) calls b1 and b2 in parallel and
# waits for both; it also publishes an event to log, which nobody waits for.
graph [
  directed 1
  node [ id 0 label "split" kind "delay" service "det(0)" ]
  node [ id 1 label "b1" service "exp(mean=10ms)" ]
  node [ id 2 label "b2" service "exp(mean=10ms)" ]
  node [ id 3 label "log" service "exp(mean=15ms)" ]
  edge [ source 0 target 1 stage 0 ]
  edge [ source 0 target 2 stage 0 ]
  edge [ source 0 target 3 kind "publish" ]
]
