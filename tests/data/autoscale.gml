# Autoscaling with deterministic times (check_autoscale.c): a client
# that does no work calls web, one worker per replica, 8 ms per call,
# balanced round robin.
graph [
  directed 1
  node [ id 0 label "client" kind "delay" service "det(0)" ]
  node [ id 1 label "web" service "det(8ms)" servers 1
         lb "round_robin" ]
  edge [ source 0 target 1 ]
]
