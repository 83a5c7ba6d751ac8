# Services that go up and down (check_failures.c): a chain a -> b -> c
# of one replica each, and a client calling a service of three replicas
# through a round-robin balancer. Work takes a microsecond, so a request
# sees every service in the state it is in at one instant.
graph [
  directed 1
  node [ id 0 label "a" service "det(1us)" servers 100 ]
  node [ id 1 label "b" service "det(1us)" servers 100 ]
  node [ id 2 label "c" service "det(1us)" servers 100 ]
  node [ id 3 label "client" kind "delay" service "det(0)" ]
  node [ id 4 label "server" service "det(1us)" servers 100 replicas 3
         lb "round_robin" ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 ]
  edge [ source 3 target 4 ]
]
