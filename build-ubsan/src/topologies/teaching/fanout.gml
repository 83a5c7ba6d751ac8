# A front end that needs two back ends for every request (lesson 8): it
# calls auth and db in parallel (both stage 0) and fails the request if
# either rejects the call. Both are loss stations (capacity = servers):
# auth is M/M/3/3 with 1 Erlang offered, db M/M/4/4 with 2 Erlangs at
# the scenario's 50 requests/s.
graph [
  directed 1
  node [ id 0 label "front" kind "delay" service "det(1ms)" ]
  node [ id 1 label "auth" servers 3 capacity 3 service "exp(mean=20ms)" ]
  node [ id 2 label "db"   servers 4 capacity 4 service "exp(mean=40ms)" ]
  edge [ source 0 target 1 kind "call" stage 0 ]
  edge [ source 0 target 2 kind "call" stage 0 ]
]
