# A front end calling a database that holds at most 3 requests: rejected
# calls fail the request that made them.
graph [
  directed 1
  node [ id 0 label "front" kind "delay" service "det(1ms)" ]
  node [ id 1 label "db" capacity 3 service "exp(mean=10ms)" ]
  edge [ source 0 target 1 ]
]
