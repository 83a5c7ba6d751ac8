# A closed three-station network: every user request visits web, then
# app, and db on 70% of the visits to app; from db 20% of the requests go
# back to app for a second round.
graph [
  directed 1
  node [ id 0 label "web" servers 1 service "exp(mean=20ms)" ]
  node [ id 1 label "app" servers 2 service "exp(mean=30ms)" ]
  node [ id 2 label "db"  servers 1 service "exp(mean=15ms)" ]
  edge [ source 0 target 1 kind "forward" p 1 ]
  edge [ source 1 target 2 kind "forward" p 0.7 ]
  edge [ source 2 target 1 kind "forward" p 0.2 ]
]
