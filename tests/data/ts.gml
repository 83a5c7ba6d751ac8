# Deterministic times for exact tests of the time series
# (check_mdl_series.c): a client that does no work (x, a delay station)
# calls web, one worker, 125 ms per call.
graph [
  directed 1
  node [ id 0 label "x" kind "delay" service "det(0)" ]
  node [ id 1 label "web" service "det(125ms)" servers 1 ]
  edge [ source 0 target 1 ]
]
