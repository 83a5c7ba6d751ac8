# A small web shop as an open queueing network with forward routing.
# Requests enter at the gateway; 60% browse the catalog, 25% go to the
# cart, 10% start a checkout, the rest (static assets, errors) leave at
# once. A fifth of cart requests continue to checkout, and checkout hands
# 90% of its requests to payments (the others fail validation and leave).
# Service times are plausible medians for such services (a few ms for an
# API gateway, tens of ms for calls to a payment provider); the catalog
# is processor sharing with a lognormal service time, which keeps the
# network product-form, so theory still applies.
graph [
  directed 1
  node [ id 0 label "gateway"  servers 4 service "exp(mean=2ms)" ]
  node [ id 1 label "catalog"  servers 4 discipline "ps"
         service "lognormal(mean=12ms, cv=1.5)" ]
  node [ id 2 label "cart"     servers 2 service "exp(mean=6ms)" ]
  node [ id 3 label "checkout" servers 2 service "exp(mean=15ms)" ]
  node [ id 4 label "payments" servers 4 service "exp(mean=60ms)" ]
  edge [ source 0 target 1 kind "forward" p 0.60 ]
  edge [ source 0 target 2 kind "forward" p 0.25 ]
  edge [ source 0 target 3 kind "forward" p 0.10 ]
  edge [ source 2 target 3 kind "forward" p 0.20 ]
  edge [ source 3 target 4 kind "forward" p 0.90 ]
]
