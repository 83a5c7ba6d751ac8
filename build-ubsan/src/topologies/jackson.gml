# A three-tier open Jackson network with feedback: web -> app -> db, and
# requests that go back from db to app and from app to web.
graph [
  directed 1
  node [ id 0 label "web" servers 2 service "exp(mean=8ms)" ]
  node [ id 1 label "app" servers 1 service "exp(mean=4ms)" ]
  node [ id 2 label "db"  servers 1 service "exp(mean=5ms)" ]
  edge [ source 0 target 1 kind "forward" p 0.8 ]
  edge [ source 1 target 2 kind "forward" p 0.5 ]
  edge [ source 1 target 0 kind "forward" p 0.1 ]
  edge [ source 2 target 1 kind "forward" p 0.3 ]
]
