# A thread-per-request front end (8 workers) whose "report" requests call a
# slow database; "page" requests never touch it.
graph [
  directed 1
  node [ id 0 label "front" servers 8 service "exp(mean=2ms)" ]
  node [ id 1 label "db" servers 16 service "exp(mean=150ms)" ]
  edge [ source 0 target 1 types "report" ]
]
