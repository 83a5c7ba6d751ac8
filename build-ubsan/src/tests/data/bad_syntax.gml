graph [
  directed 1
  node [ id 0 label "a"
  edge [ source 0 target 0 ]
]
