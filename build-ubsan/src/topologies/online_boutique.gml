# Online Boutique (GoogleCloudPlatform/microservices-demo, commit 34ffea9):
# the Go HTTP frontend, the gRPC services the load generator exercises, and
# redis-cart. Call graph from the repository files cited below.
#
# Services [GoogleCloudPlatform/microservices-demo:README.md L27-37;
#   src/frontend/main.go L132-147]. The optional shoppingassistant (/bot)
#   and packaging (PACKAGING_SERVICE_URL) HTTP edges are not exercised by
#   the load generator and are left out [src/frontend/handlers.go L451-497;
#   src/frontend/packaging_info.go L43-54].
# Edges [src/frontend/rpc.go; src/recommendationservice/
#   recommendation_server.py L70-86; src/checkoutservice/main.go L118-123,
#   L313-390; src/cartservice/src/cartstore/RedisCartStore.cs L33-90].
#   All unary gRPC and synchronous; no handler uses goroutines, so every
#   call is sequential: one edge per step, stages in increasing order.
#
# Request classes = the locust tasks [src/loadgenerator/locustfile.py]:
#   home          GET /  [src/frontend/handlers.go L59-120]
#                 currency.GetSupportedCurrencies, productcatalog.ListProducts,
#                 cart.GetCart, currency.Convert x9 (9 products), ad.GetAds
#                 = 13 RPCs (+1 Redis GET)
#   setCurrency   POST /setCurrency: sets a cookie, no RPC (frontend only).
#                 NB: the handler answers 302 to the Referer (or /); if the
#                 client follows it, a home page load comes with it. We model
#                 the POST only.
#   browseProduct GET /product/{id}  [handlers.go L144-209]
#                 productcatalog.GetProduct, currency.GetSupportedCurrencies,
#                 cart.GetCart, currency.Convert, recommendation.
#                 ListRecommendations (-> productcatalog.ListProducts),
#                 productcatalog.GetProduct x5, ad.GetAds
#                 = 11 frontend RPCs + 1 nested = 12 (+1 Redis GET)
#   addToCart     the product page, then POST /cart [handlers.go L211-237]:
#                 productcatalog.GetProduct, cart.AddItem (Redis GET + SET)
#                 = 13 frontend RPCs + 1 nested = 14 (+3 Redis ops)
#   viewCart      GET /cart [handlers.go L251-318] with m = 2 distinct items:
#                 currency.GetSupportedCurrencies, cart.GetCart,
#                 recommendation (-> ListProducts), GetProduct x min(5, 9-m)=5,
#                 shipping.GetQuote, currency.Convert, then per item
#                 GetProduct, Convert = 6 + 5 + 2m = 15 RPCs, 1 of them
#                 nested (+1 Redis GET)
#   checkout      addToCart, then POST /cart/checkout [handlers.go L320-401;
#                 src/checkoutservice/main.go L230-357]: checkout.PlaceOrder,
#                 which calls cart.GetCart, (GetProduct, Convert) per item
#                 (m = 2), shipping.GetQuote, currency.Convert, payment.Charge,
#                 shipping.ShipOrder, cart.EmptyCart, email.
#                 SendOrderConfirmation (7 + 2m = 11 RPCs); then
#                 recommendation (-> ListProducts), GetProduct x5,
#                 currency.GetSupportedCurrencies.
#                 = 21 frontend + 2 nested ListProducts + 11 from checkout
#                 = 34 RPCs (+5 Redis ops)
#   The number of distinct cart items m is fixed at 2 for viewCart and
#   checkout (a locust user adds 1 product per addToCart, and checkout
#   empties the cart, so carts stay small).
#
# Cart -> Redis: GetCart = GET, AddItem = GET then SET, EmptyCart = SET
#   [RedisCartStore.cs L33-90]. An edge applies per class, not per gRPC
#   method, so within one class every cart visit makes the same Redis calls:
#   one always, plus one more with p = 0.5 for addToCart (2 visits, 3 ops)
#   and p = 0.25 for checkout (4 visits, 5 ops). The Redis calls per request
#   are then exact on average (3 and 5), not in every request.
#
# Service vertices model CPU: servers = cores given to the container (one
#   replica each, as in kubernetes-manifests/); a request waiting on its
#   callees holds no core. Go (frontend, checkout, productcatalog,
#   shipping): a goroutine per request/RPC multiplexed on GOMAXPROCS
#   threads, so processor sharing over the cores with unbounded concurrency
#   (discipline ps, blocking 0: Go's net/http starts a goroutine per request
#   and a goroutine blocked in an RPC parks, releasing its thread). The
#   frontend gets 2 cores, everything else 1. Node.js (currency, payment):
#   one event loop, run to completion: fifo, servers 1. Python
#   (recommendation, email): gRPC thread pool behind the GIL: ps, 1 core.
#   .NET cart and Java ad: async servers on 1 core: ps.
#
# Service times (CPU per visit incl. gRPC/HTTP (de)serialisation; no
#   published per-service numbers exist for Online Boutique, so these
#   are typical values):
#   frontend   1 ms before the calls (HTTP parsing, session, per-RPC client
#              work) + 4 ms after (html/template rendering, JSON logging)
#   productcatalog 0.3 ms: in-memory list of 9 products (products.json)
#   currency   0.5 ms: Node.js grpc-js handler, table lookup
#   cart       0.4 ms: .NET handler + Redis client
#   redis-cart 0.15 ms: a GET/SET incl. the network stack (Redis ~0.1-0.3 ms)
#   recommendation 2 ms: Python gRPC handler, random.sample of products
#   shipping   0.3 ms: Go, quote from item count / fake tracking id
#   checkout   0.5 ms before + 0.5 ms after its 11 calls
#   payment    0.5 ms: Node.js card validation
#   email      3 ms: Python, Jinja2 template render (no mail is sent)
#   ad         0.5 ms: Java, map lookup of ads by category
#   CPU work is lognormal with cv 1 (Redis: gamma, cv 0.5).
#   Service times are per vertex, not per class: setCurrency (a redirect,
#   no template) is charged the full frontend time, and addToCart/checkout
#   (2 and 3 HTTP requests in one locust task) are charged it once.
#   Network latency between pods is not modelled.
graph [
  directed 1
  node [ id 0 label "frontend" servers 2 discipline "ps" blocking 0
         service "lognormal(mean=1ms, cv=1)"
         post_service "lognormal(mean=4ms, cv=1)" ]
  node [ id 1 label "currency" servers 1 discipline "fifo"
         service "lognormal(mean=0.5ms, cv=1)" ]
  node [ id 2 label "productcatalog" servers 1 discipline "ps"
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 3 label "cart" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.4ms, cv=1)" ]
  node [ id 4 label "redis-cart" servers 1 discipline "fifo"
         service "gamma(mean=0.15ms, cv=0.5)" ]
  node [ id 5 label "recommendation" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=2ms, cv=1)" ]
  node [ id 6 label "shipping" servers 1 discipline "ps"
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 7 label "checkout" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.5ms, cv=1)"
         post_service "lognormal(mean=0.5ms, cv=1)" ]
  node [ id 8 label "payment" servers 1 discipline "fifo"
         service "lognormal(mean=0.5ms, cv=1)" ]
  node [ id 9 label "email" servers 1 discipline "ps"
         service "lognormal(mean=3ms, cv=1)" ]
  node [ id 10 label "ad" servers 1 discipline "ps"
         service "lognormal(mean=0.5ms, cv=1)" ]
# ---- home: GET / (13 RPCs) ----
  edge [ source 0 target 1 stage 0 types "home" ]
  edge [ source 0 target 2 stage 1 types "home" ]
  edge [ source 0 target 3 stage 2 types "home" ]
  edge [ source 0 target 1 stage 3 count 9 types "home" ]
  edge [ source 0 target 10 stage 4 types "home" ]
# ---- product page: browseProduct, and the first request of addToCart
# ---- and of checkout (11 frontend RPCs + ListProducts) ----
  edge [ source 0 target 2 stage 0 types "browseProduct addToCart checkout" ]
  edge [ source 0 target 1 stage 1 types "browseProduct addToCart checkout" ]
  edge [ source 0 target 3 stage 2 types "browseProduct addToCart checkout" ]
  edge [ source 0 target 1 stage 3 types "browseProduct addToCart checkout" ]
  edge [ source 0 target 5 stage 4 types "browseProduct addToCart checkout" ]
  edge [ source 0 target 2 stage 5 count 5
         types "browseProduct addToCart checkout" ]
  edge [ source 0 target 10 stage 6 types "browseProduct addToCart checkout" ]
# ---- POST /cart: GetProduct, AddItem (addToCart and checkout) ----
  edge [ source 0 target 2 stage 7 types "addToCart checkout" ]
  edge [ source 0 target 3 stage 8 types "addToCart checkout" ]
# ---- POST /cart/checkout: PlaceOrder, recommendations, currencies ----
  edge [ source 0 target 7 stage 9 types "checkout" ]
  edge [ source 0 target 5 stage 10 types "checkout" ]
  edge [ source 0 target 2 stage 11 count 5 types "checkout" ]
  edge [ source 0 target 1 stage 12 types "checkout" ]
# ---- viewCart: GET /cart with m = 2 items (14 frontend RPCs) ----
  edge [ source 0 target 1 stage 0 types "viewCart" ]
  edge [ source 0 target 3 stage 1 types "viewCart" ]
  edge [ source 0 target 5 stage 2 types "viewCart" ]
  edge [ source 0 target 2 stage 3 count 5 types "viewCart" ]
  edge [ source 0 target 6 stage 4 types "viewCart" ]
  edge [ source 0 target 1 stage 5 types "viewCart" ]
  edge [ source 0 target 2 stage 6 types "viewCart" ]
  edge [ source 0 target 1 stage 7 types "viewCart" ]
  edge [ source 0 target 2 stage 8 types "viewCart" ]
  edge [ source 0 target 1 stage 9 types "viewCart" ]
# ---- recommendation.ListRecommendations -> productcatalog.ListProducts ----
  edge [ source 5 target 2 ]
# ---- cart -> redis-cart (see the note on methods above) ----
  edge [ source 3 target 4 stage 0 ]
  edge [ source 3 target 4 stage 1 p 0.5 types "addToCart" ]
  edge [ source 3 target 4 stage 2 p 0.25 types "checkout" ]
# ---- checkout.PlaceOrder, m = 2 items (7 + 2m = 11 RPCs) ----
  edge [ source 7 target 3 stage 0 ]
  edge [ source 7 target 2 stage 1 ]
  edge [ source 7 target 1 stage 2 ]
  edge [ source 7 target 2 stage 3 ]
  edge [ source 7 target 1 stage 4 ]
  edge [ source 7 target 6 stage 5 ]
  edge [ source 7 target 1 stage 6 ]
  edge [ source 7 target 8 stage 7 ]
  edge [ source 7 target 6 stage 8 ]
  edge [ source 7 target 3 stage 9 ]
  edge [ source 7 target 9 stage 10 ]
]
