# ana_graph fixture: request types. gw makes one stage of calls: auth for
# every request, cache for reads, db (twice) for writes. A request makes
# only the calls of its type, so the stage is 2 wide, never 3.
#   read:  R(gw) = 1 + max(2, 0.5) = 3 ms, path gw auth, fan-out 2
#   write: R(gw) = 1 + max(2, 2 x 4.25) = 9.5 ms, path gw db, fan-out 3
#   gw keeps the busiest type: fan-out 3, widest 2, latency 9.5 ms
graph [
  directed 1
  node [ id 0 label "gw" service "det(1ms)" ]
  node [ id 1 label "auth" service "det(2ms)" ]
  node [ id 2 label "cache" service "det(0.5ms)" ]
  node [ id 3 label "db" service "det(4.25ms)" ]
  edge [ source 0 target 1 ]
  edge [ source 0 target 2 types "read" ]
  edge [ source 0 target 3 count 2 types "write, read-modify" ]
]
