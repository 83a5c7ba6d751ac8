# A small shop: gateway calls cart and catalog, cart forwards to payments.
graph [
  directed 1
  node [
    id 0
    label "gateway"
    servers 4
    replicas 2
    service "exp(mean=5ms)"
    capacity 64
    discipline "ps"
    blocking 0
  ]
  node [
    id 1
    label "cart"
    servers "3"
    service "det(2ms)"
  ]
  node [
    id 2
    label "catalog"
    kind "delay"
  ]
  node [
    id 3
    label "payments"
    capacity 0
    discipline "fifo"
    kind "service"
  ]
  edge [ source 0 target 1 count 2 stage 1 protocol "grpc" ]
  edge [ source 0 target 2 p 0.385 protocol "http2" ]
  edge [ source 1 target 3 kind "forward" p 0.7 ]
  edge [ source 3 target 3 kind "forward" p 0.25 ]
]
