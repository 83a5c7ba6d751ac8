# sum_over_one.gml - 'front' forwards with probabilities 0.6 + 0.65 > 1.
graph [
  directed 1
  node [ id 0 label "front" service "exp(mean=2ms)" ]
  node [ id 1 label "back" service "exp(mean=3ms)" ]
  edge [ source 0 target 1 kind "forward" p 0.6 ]
  edge [ source 0 target 0 kind "forward" p 0.65 ]
]
