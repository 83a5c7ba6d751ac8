# Lesson 8 (docs/teaching.md): a page needs a gateway, an app tier of two
# replicas and a database, called in a chain. Work takes a microsecond,
# so a request sees each part as it is at one instant.
graph [
  directed 1
  node [ id 0 label "gateway" service "det(1us)" servers 100 ]
  node [ id 1 label "app" service "det(1us)" servers 100 replicas 2
         lb "round_robin" ]
  node [ id 2 label "db" service "det(1us)" servers 100 ]
  edge [ source 0 target 1 ]
  edge [ source 1 target 2 ]
]
