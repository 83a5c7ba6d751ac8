# A service whose name would make "call:api->db->x" read two ways.
graph [
  directed 1
  node [ id 0 label "api" ]
  node [ id 1 label "db->x" ]
  edge [ source 0 target 1 ]
]
