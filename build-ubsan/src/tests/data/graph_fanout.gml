# ana_graph fixture: api makes its calls in two stages and publishes one
# event that nobody waits for.
#   stage 0: auth (4 ms) || user x2 (2 x 2.5 ms)          -> max 5 ms
#   stage 1: db p=0.45 x3 (0.45 x 3 x 6 ms = 8.1 ms) || cache (0.8 ms)
#            || search (3.2 ms)                          -> max 8.1 ms
#   R(api) = 1.5 + 0.75 + 5 + 8.1 = 15.35 ms (the publish to log adds 0)
#   fan-out(api) = 1 + 2 + 0.45 x 3 + 1 + 1 = 6.35; widest: 3 in stage 1
graph [
  directed 1
  node [ id 0 label "api" servers 8 replicas 3 service "det(1.5ms)"
         post_service "det(0.75ms)" ]
  node [ id 1 label "auth" service "det(4ms)" ]
  node [ id 2 label "user" service "det(2.5ms)" ]
  node [ id 3 label "db" service "det(6ms)" ]
  node [ id 4 label "cache" service "det(0.8ms)" ]
  node [ id 5 label "search" service "det(3.2ms)" ]
  node [ id 6 label "log" service "det(9ms)" ]
  edge [ source 0 target 1 stage 0 ]
  edge [ source 0 target 2 stage 0 count 2 ]
  edge [ source 0 target 3 stage 1 p 0.45 count 3 ]
  edge [ source 0 target 4 stage 1 ]
  edge [ source 0 target 5 stage 1 ]
  edge [ source 0 target 6 kind "publish" ]
]
