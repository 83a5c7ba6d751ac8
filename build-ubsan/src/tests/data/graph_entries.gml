# ana_graph fixture: two entry points. web calls api and forwards to
# static; mobile calls bff, which calls api and publishes to audit; api
# calls db. audit receives publishes only, so it starts flows of its own
# and is an entry point too.
# Blast radius: web {web}, static {web}, mobile {mobile},
#   bff {mobile}, api {web, mobile}, db {web, mobile}, audit {mobile, audit}
graph [
  directed 1
  node [ id 0 label "web" service "det(1ms)" ]
  node [ id 1 label "static" service "det(2ms)" ]
  node [ id 2 label "mobile" service "det(1ms)" ]
  node [ id 3 label "bff" service "det(3ms)" ]
  node [ id 4 label "api" service "det(5ms)" ]
  node [ id 5 label "db" service "det(7ms)" ]
  node [ id 6 label "audit" service "det(2ms)" ]
  edge [ source 0 target 4 ]
  edge [ source 0 target 1 kind "forward" p 0.3 ]
  edge [ source 2 target 3 ]
  edge [ source 3 target 4 ]
  edge [ source 3 target 6 kind "publish" ]
  edge [ source 4 target 5 ]
]
