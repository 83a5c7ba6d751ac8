# DeathStarBench hotelReservation (delimitrou/DeathStarBench as of
# 2024-06-27, commit 6ecb097): Go services talking gRPC, an HTTP frontend,
# memcached and MongoDB. Call graph from the repository files cited
# below. Deployment [delimitrou/DeathStarBench:hotelReservation/
# docker-compose.yml]; review, attractions and their stores are not on the
# paths of the mixed workload and are left out, and so are the MongoDB
# instances of geo, recommendation and user: those services load their
# data once at startup and serve it from memory [hotelReservation/services/
# geo/server.go newGeoIndex; services/recommendation/server.go
# loadRecommendations; services/user/server.go loadUsers]. All handlers are
# sequential: one edge per step, stages in increasing order.
#
# Request classes [hotelReservation/wrk2/scripts/hotel-reservation/
#   mixed-workload_type_1.lua L113-126]: search 60%, recommend 39%,
#   login 0.5%, reserve 0.5%.
# search: GET /hotels [hotelReservation/services/frontend/server.go L212-293]
#   1. frontend -> search.Nearby [services/search/server.go L129-160], which
#      calls geo.Nearby (in-memory k-nearest, <=5 hotels within 10 km
#      [services/geo/server.go L25-26]), then rate.GetRates: memcached
#      GetMulti; misses -> MongoDB find (a goroutine per hotel) and an
#      async memcached Set [services/rate/server.go L93-170]
#   2. frontend -> reservation.CheckAvailability: memcached GetMulti of the
#      capacities (misses -> MongoDB find), memcached GetMulti of the
#      hotel x night keys (misses -> MongoDB finds in parallel)
#      [services/reservation/server.go L221-400]
#   3. frontend -> profile.GetProfiles: memcached GetMulti; misses ->
#      MongoDB FindOne per hotel in parallel; async Set
#      [services/profile/server.go L93-155]
#   = 5 gRPC calls (3 from frontend, 2 from search) and 4 memcached calls
# recommend: GET /recommendations [services/frontend/server.go L295-343]
#   frontend -> recommendation.GetRecommendations (in-memory), then
#   -> profile.GetProfiles (as above) = 2 gRPC calls, 1 memcached call
# reserve: POST /reservation [services/frontend/server.go L585-660]
#   frontend -> user.CheckUser (in-memory), then -> reservation.
#   MakeReservation [services/reservation/server.go L94-218]: per night a
#   memcached Get of the room count and one of the capacity (misses ->
#   MongoDB), then memcached Set x nights and MongoDB InsertOne x nights.
#   The workload books 1-15 nights; a count is a fixed integer here, so we
#   use the mean, 8 nights: 16 Gets (one edge, count 16: both Gets of a
#   night go to the same memcached, one after another), 8 Sets, 8 inserts.
#   = 2 gRPC calls, 24 memcached calls, 8 MongoDB inserts (+ misses)
# login: POST /user -> user.CheckUser = 1 gRPC call
#
# Caches and misses (p is per visit; no published hit ratios, so chosen):
#   80 hotels [hotelReservation/cmd/geo/db.go L31]: rates, profiles and
#   capacities all fit in memcached, so after warm-up GetMulti misses are
#   rare: p = 0.05 for rate, profile and the capacities. Hotel x night
#   room counts are more numerous and change with bookings: p = 0.1 in
#   CheckAvailability, and 0.2 for MakeReservation's Gets (one MongoDB find
#   per miss, drawn once per request). The async memcached Set after a miss
#   is a publish edge (nobody waits) with the same p, drawn independently.
#
# Service vertices model CPU: Go serves each request/RPC in a goroutine
#   that parks (freeing its thread) while waiting on a call, so processor
#   sharing over the cores, unbounded concurrency (discipline ps,
#   blocking 0). The frontend gets 2 cores, each other service 1
#   (docker-compose sets no CPU limits; one core is a conservative share).
#   memcached: 4 worker threads (fifo, 4). MongoDB: 2 cores (ps).
# Service times: no per-service numbers are published for
#   hotelReservation, so typical values for small Go gRPC handlers:
#   frontend 0.3 ms before (HTTP parsing, parameters) + 0.3 ms after
#     (GeoJSON/JSON reply); search 0.1 ms; geo 0.3 ms (k-nearest over 80
#     points); rate 0.3 ms and profile 0.3 ms (JSON decoding of cached
#     entries for <=5 hotels); reservation 0.2 ms; recommendation 0.3 ms
#     (scan of 80 hotels); user 0.1 ms (SHA-256 of the password)
#   memcached Get/GetMulti/Set 0.1 ms (typical ~0.1-0.3 ms)
#   MongoDB find / FindOne 1 ms; reservation MongoDB 1.5 ms (its InsertOne
#     writes are the bulk of its calls)
#   CPU work lognormal cv 1; memcached gamma cv 0.5. The network is not
#   modelled.
graph [
  directed 1
  node [ id 0 label "frontend" servers 2 discipline "ps" blocking 0
         service "lognormal(mean=0.3ms, cv=1)"
         post_service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 1 label "search" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.1ms, cv=1)" ]
  node [ id 2 label "geo" servers 1 discipline "ps"
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 3 label "rate" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 4 label "reservation" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.2ms, cv=1)" ]
  node [ id 5 label "profile" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 6 label "recommendation" servers 1 discipline "ps"
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 7 label "user" servers 1 discipline "ps"
         service "lognormal(mean=0.1ms, cv=1)" ]
  node [ id 8 label "memcached-rate" servers 4 discipline "fifo"
         service "gamma(mean=0.1ms, cv=0.5)" ]
  node [ id 9 label "mongodb-rate" servers 2 discipline "ps"
         service "lognormal(mean=1ms, cv=1)" ]
  node [ id 10 label "memcached-reserve" servers 4 discipline "fifo"
         service "gamma(mean=0.1ms, cv=0.5)" ]
  node [ id 11 label "mongodb-reservation" servers 2 discipline "ps"
         service "lognormal(mean=1.5ms, cv=1)" ]
  node [ id 12 label "memcached-profile" servers 4 discipline "fifo"
         service "gamma(mean=0.1ms, cv=0.5)" ]
  node [ id 13 label "mongodb-profile" servers 2 discipline "ps"
         service "lognormal(mean=1ms, cv=1)" ]
# ---- frontend, search: search, then reservation, then profile ----
  edge [ source 0 target 1 stage 0 types "search" ]
  edge [ source 0 target 4 stage 1 types "search" ]
  edge [ source 0 target 5 stage 2 types "search" ]
# ---- frontend, recommend: recommendation, then profile ----
  edge [ source 0 target 6 stage 0 types "recommend" ]
  edge [ source 0 target 5 stage 1 types "recommend" ]
# ---- frontend, reserve: user, then reservation; login: user ----
  edge [ source 0 target 7 stage 0 types "reserve login" ]
  edge [ source 0 target 4 stage 1 types "reserve" ]
# ---- search.Nearby: geo, then rate (only search reaches it) ----
  edge [ source 1 target 2 stage 0 ]
  edge [ source 1 target 3 stage 1 ]
# ---- rate.GetRates ----
  edge [ source 3 target 8 stage 0 ]
  edge [ source 3 target 9 stage 1 p 0.05 ]
  edge [ source 3 target 8 stage 2 p 0.05 kind "publish" ]
# ---- reservation.CheckAvailability (search) ----
  edge [ source 4 target 10 stage 0 types "search" ]
  edge [ source 4 target 11 stage 1 p 0.05 types "search" ]
  edge [ source 4 target 10 stage 2 types "search" ]
  edge [ source 4 target 11 stage 3 p 0.1 types "search" ]
# ---- reservation.MakeReservation (reserve), 8 nights ----
  edge [ source 4 target 10 stage 0 count 16 types "reserve" ]
  edge [ source 4 target 11 stage 1 p 0.2 types "reserve" ]
  edge [ source 4 target 10 stage 2 count 8 types "reserve" ]
  edge [ source 4 target 11 stage 3 count 8 types "reserve" ]
# ---- profile.GetProfiles (search and recommend) ----
  edge [ source 5 target 12 stage 0 ]
  edge [ source 5 target 13 stage 1 p 0.05 ]
  edge [ source 5 target 12 stage 2 p 0.05 kind "publish" ]
]
