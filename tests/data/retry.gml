# A client that does no work calls an infinite-server station: every
# attempt's time is an independent exponential, so a timeout fails each
# attempt independently with probability e^{-mu tau}.
graph [
  directed 1
  node [ id 0 label "client" kind "delay" service "det(0)" ]
  node [ id 1 label "server" kind "delay" service "exp(mean=10ms)" ]
  edge [ source 0 target 1 ]
]
