# labels.gml: labels that name no service, and a commented-out node:
# node [ id 9 label "cart" servers 7 ]
graph [
  directed 1
  label "cart"
  node [ id 0 label "gateway" graphics [ label "cart" ] ]
  edge [ source 0 target 1 graphics [ label "gateway" ] ]
  node [
    id 1
    label "cart"
    servers 4
  ]
]
