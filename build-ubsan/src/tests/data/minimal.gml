graph [
  directed 1
  node [ id 7 label "solo" ]
]
