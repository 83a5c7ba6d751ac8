# A blocking front end calling a database that holds one request: the
# rejected calls come back at once, so the front end is lightly loaded
# although a naive bound (work plus the full call) would exceed 1.
graph [
  directed 1
  node [ id 0 label "front" servers 8 service "det(1ms)" ]
  node [ id 1 label "db" capacity 1 service "det(100ms)" ]
  edge [ source 0 target 1 ]
]
