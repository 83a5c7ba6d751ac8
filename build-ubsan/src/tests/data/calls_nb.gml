# A non-blocking service whose 'plain' requests never call anyone: it
# must keep its worker for the post-work, exactly as a blocking one does.
graph [
  directed 1
  node [ id 0 label "a" service "det(4ms)" post_service "det(4ms)" ]
  node [ id 1 label "b" kind "delay" service "det(1ms)" ]
  edge [ source 0 target 1 types "other" ]
]
