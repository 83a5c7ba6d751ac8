# Three single-server tiers in series for the closed network of lesson 7:
# demands 5 ms + 20 ms + 10 ms = 35 ms per request; app is the bottleneck.
graph [
  directed 1
  node [ id 0 label "web" service "exp(mean=5ms)" ]
  node [ id 1 label "app" service "exp(mean=20ms)" ]
  node [ id 2 label "db"  service "exp(mean=10ms)" ]
  edge [ source 0 target 1 kind "forward" p 1 ]
  edge [ source 1 target 2 kind "forward" p 1 ]
]
