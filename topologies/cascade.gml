# A shop whose front end and checkout run a thread per request
# (blocking 1): a thread stays held while its call is out. Shoppers
# browse (frontend -> catalog) or buy (frontend -> checkout -> payment).
# scenarios/cascade.yaml slows payment down; cascade_cured.yaml adds a
# timeout and a circuit breaker on checkout -> payment.
graph [
  directed 1
  node [ id 0 label "frontend" servers 20 capacity 40 blocking 1
         service "lognormal(mean=2ms, cv=1)" ]
  node [ id 1 label "catalog" servers 4 service "exp(mean=5ms)" ]
  node [ id 2 label "checkout" servers 10 blocking 1
         service "exp(mean=1ms)" ]
  node [ id 3 label "payment" servers 2 service "exp(mean=20ms)" ]
  edge [ source 0 target 1 types "browse" ]
  edge [ source 0 target 2 types "buy" ]
  edge [ source 2 target 3 ]
]
