# A client that does no work calls api, two replicas of det(1ms) with
# ample workers (check_mdl_outlier.c); the scenario makes the first
# replica answer every visit with an error.
graph [
  directed 1
  node [ id 0 label "client" kind "delay" service "det(0)" ]
  node [ id 1 label "api" service "det(1ms)" servers 8 replicas 2 ]
  edge [ source 0 target 1 ]
]
