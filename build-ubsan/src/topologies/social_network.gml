# DeathStarBench socialNetwork (delimitrou/DeathStarBench as of 2024-06-27,
# commit 6ecb097): nginx-thrift front end, the Thrift services on the three
# request paths the mixed workload drives, and their caches and databases.
# Call graph from the repository files cited below.
#
# Protocols: client -> nginx-thrift (OpenResty + Lua) over HTTP; every
#   internal call is synchronous C++ Thrift RPC [delimitrou/DeathStarBench:
#   socialNetwork/README.md L3]. Deployment [socialNetwork/docker-compose.yml]:
#   MongoDB, memcached and Redis per service; the ones these paths touch are
#   vertices here (media-/url-shorten-memcached, media-mongodb, the media
#   front end and the unused RabbitMQ of the pre-2021 design are left out).
#
# Request classes [socialNetwork/wrk2/scripts/social-network/
#   mixed-workload.lua L111-126]: 60% readHomeTimeline, 30% readUserTimeline,
#   10% composePost.
#
# composePost [socialNetwork/src/ComposePostService/ComposePostHandler.h
#   L361-438; nginx-web-server/lua-scripts/wrk2-api/post/compose.lua]
#   nginx -> compose-post.ComposePost, which runs
#   stage 0, four calls in parallel (std::async), joined:
#     text.ComposeText [src/TextService/TextHandler.h L73-144], itself two
#       calls in parallel:
#       url-shorten.ComposeUrls -> MongoDB bulk insert (the wrk2 script
#         always puts 1-6 URLs in a post, so always) [src/UrlShortenService/
#         UrlShortenHandler.h L87-157]
#       user-mention.ComposeUserMentions -> memcached mget; misses ->
#         MongoDB find [src/UserMentionService/UserMentionHandler.h L54-223]
#     user.ComposeCreatorWithUserId, media.ComposeMedia,
#       unique-id.ComposeUniqueId: no storage access
#       [src/UserService/UserHandler.h L538]
#   stage 1 post-storage.StorePost -> MongoDB insert
#     [src/PostStorageService/PostStorageHandler.h L48-142]
#   stage 2 user-timeline.WriteUserTimeline -> MongoDB find_and_modify
#     (upsert), then Redis ZADD [src/UserTimelineService/
#     UserTimelineHandler.h L90-175]
#   stage 3 home-timeline.WriteHomeTimeline -> social-graph.GetFollowers
#     (Redis ZRANGE; on a miss MongoDB find, then Redis ZADD)
#     [src/SocialGraphService/SocialGraphHandler.h L485-603], then one
#     pipelined Redis ZADD for all followers and mentions
#     [src/HomeTimelineService/HomeTimelineHandler.h L99-200]
#   Stages 1-3 are sequential: StorePost is awaited first and the timeline
#   writes use std::launch::deferred [ComposePostHandler.h L414-432].
#   = 11 Thrift RPCs (nginx 1, compose-post 7, text 2, home-timeline 1)
#     and 7 storage calls (+ misses)
# readHomeTimeline [src/HomeTimelineService/HomeTimelineHandler.h L214-272]
#   nginx -> home-timeline.ReadHomeTimeline -> Redis ZREVRANGE, then
#   post-storage.ReadPosts (<=10 ids) -> memcached mget; misses -> MongoDB
#   find; one memcached set per miss [PostStorageHandler.h L353-626]
#   = 2 Thrift RPCs and 2 storage calls (+ misses)
# readUserTimeline [src/UserTimelineService/UserTimelineHandler.h L186-355]
#   nginx -> user-timeline.ReadUserTimeline -> Redis ZREVRANGE; if too few
#   ids, MongoDB find; then in parallel post-storage.ReadPosts (as above)
#   and (after a MongoDB find) Redis ZADD of the ids it returned
#   = 2 Thrift RPCs and 2 storage calls (+ misses)
#
# Caches and misses (p is per visit; no published hit ratios, so chosen):
#   post-storage ReadPosts: some of the 10 posts not in memcached, p = 0.2
#     (reads start at offset 0-100, so older posts fall out of the cache);
#     the memcached set after a miss is a second edge with the same p.
#   user-mention mget miss p = 0.05 (962 users, they all fit in memcached)
#   social-graph ZRANGE miss p = 0.05 (then MongoDB find and Redis ZADD)
#   user-timeline: fewer ids than asked in Redis, p = 0.1 (then MongoDB find
#     and, in parallel with ReadPosts, the Redis ZADD)
#   A miss's follow-up calls are separate edges with the same p, drawn
#   independently: the mean number of calls is right, the pairing is not.
#
# Service vertices model CPU: one core per service (docker-compose sets no
#   CPU limits; one core is a conservative share), processor sharing over
#   it (discipline ps; C++ Thrift servers run a thread per connection, and a
#   thread blocked on a downstream RPC uses no core, hence blocking 0).
#   nginx-thrift: one OpenResty worker, an event loop (fifo, blocking 0).
#   Redis: single-threaded (fifo, 1). memcached: 4 worker threads (fifo, 4).
#   MongoDB: multi-threaded storage engine, 2 cores (ps).
# Service times: no per-service latencies are published for
#   DeathStarBench (the uqsim stage times have no units), so typical values:
#   nginx-thrift 0.5 ms (Lua routing + Thrift client) before, 0.5 ms after
#     (JSON encoding of the reply); the front end is the costliest tier
#   compose-post 0.2 ms before and 0.2 ms after (assembling the post)
#   text 0.3 ms (regex scan of 256 characters for mentions and URLs)
#   url-shorten, user-mention 0.1 ms; user, media, unique-id 0.05 ms
#   post-storage 0.2 ms (BSON/Thrift of up to 10 posts)
#   user-timeline, home-timeline, social-graph 0.1-0.15 ms
#   memcached get/mget/set 0.1 ms, Redis ZRANGE/ZADD 0.15 ms (both ~0.1-0.3 ms)
#   MongoDB find/insert 1 ms, user-timeline find_and_modify (upsert) 1.5 ms
#   CPU work lognormal cv 1; caches gamma cv 0.5. The network is not
#   modelled.
graph [
  directed 1
  node [ id 0 label "nginx-thrift" servers 1 discipline "fifo" blocking 0
         service "lognormal(mean=0.5ms, cv=1)"
         post_service "lognormal(mean=0.5ms, cv=1)" ]
  node [ id 1 label "compose-post" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.2ms, cv=1)"
         post_service "lognormal(mean=0.2ms, cv=1)" ]
  node [ id 2 label "text" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.3ms, cv=1)" ]
  node [ id 3 label "url-shorten" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.1ms, cv=1)" ]
  node [ id 4 label "user-mention" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.1ms, cv=1)" ]
  node [ id 5 label "user" servers 1 discipline "ps"
         service "lognormal(mean=0.05ms, cv=1)" ]
  node [ id 6 label "media" servers 1 discipline "ps"
         service "lognormal(mean=0.05ms, cv=1)" ]
  node [ id 7 label "unique-id" servers 1 discipline "ps"
         service "lognormal(mean=0.05ms, cv=1)" ]
  node [ id 8 label "post-storage" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.2ms, cv=1)" ]
  node [ id 9 label "user-timeline" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.1ms, cv=1)" ]
  node [ id 10 label "home-timeline" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.15ms, cv=1)" ]
  node [ id 11 label "social-graph" servers 1 discipline "ps" blocking 0
         service "lognormal(mean=0.1ms, cv=1)" ]
  node [ id 12 label "url-shorten-mongodb" servers 2 discipline "ps"
         service "lognormal(mean=1ms, cv=1)" ]
  node [ id 13 label "user-memcached" servers 4 discipline "fifo"
         service "gamma(mean=0.1ms, cv=0.5)" ]
  node [ id 14 label "user-mongodb" servers 2 discipline "ps"
         service "lognormal(mean=1ms, cv=1)" ]
  node [ id 15 label "post-storage-memcached" servers 4 discipline "fifo"
         service "gamma(mean=0.1ms, cv=0.5)" ]
  node [ id 16 label "post-storage-mongodb" servers 2 discipline "ps"
         service "lognormal(mean=1ms, cv=1)" ]
  node [ id 17 label "user-timeline-redis" servers 1 discipline "fifo"
         service "gamma(mean=0.15ms, cv=0.5)" ]
  node [ id 18 label "user-timeline-mongodb" servers 2 discipline "ps"
         service "lognormal(mean=1.5ms, cv=1)" ]
  node [ id 19 label "home-timeline-redis" servers 1 discipline "fifo"
         service "gamma(mean=0.15ms, cv=0.5)" ]
  node [ id 20 label "social-graph-redis" servers 1 discipline "fifo"
         service "gamma(mean=0.15ms, cv=0.5)" ]
  node [ id 21 label "social-graph-mongodb" servers 2 discipline "ps"
         service "lognormal(mean=1ms, cv=1)" ]
# ---- nginx-thrift: one Thrift call per request, by class ----
  edge [ source 0 target 1 types "composePost" ]
  edge [ source 0 target 10 types "readHomeTimeline" ]
  edge [ source 0 target 9 types "readUserTimeline" ]
# ---- compose-post.ComposePost (only composePost reaches it) ----
  edge [ source 1 target 2 stage 0 ]
  edge [ source 1 target 5 stage 0 ]
  edge [ source 1 target 6 stage 0 ]
  edge [ source 1 target 7 stage 0 ]
  edge [ source 1 target 8 stage 1 ]
  edge [ source 1 target 9 stage 2 ]
  edge [ source 1 target 10 stage 3 ]
# ---- text.ComposeText: url-shorten and user-mention in parallel ----
  edge [ source 2 target 3 stage 0 ]
  edge [ source 2 target 4 stage 0 ]
  edge [ source 3 target 12 ]
  edge [ source 4 target 13 stage 0 ]
  edge [ source 4 target 14 stage 1 p 0.05 ]
# ---- post-storage: StorePost (compose), ReadPosts (both reads) ----
  edge [ source 8 target 16 stage 0 types "composePost" ]
  edge [ source 8 target 15 stage 0 types "readHomeTimeline readUserTimeline" ]
  edge [ source 8 target 16 stage 1 p 0.2
         types "readHomeTimeline readUserTimeline" ]
  edge [ source 8 target 15 stage 2 p 0.2
         types "readHomeTimeline readUserTimeline" ]
# ---- user-timeline: WriteUserTimeline (compose) ----
  edge [ source 9 target 18 stage 0 types "composePost" ]
  edge [ source 9 target 17 stage 1 types "composePost" ]
# ---- user-timeline: ReadUserTimeline ----
  edge [ source 9 target 17 stage 0 types "readUserTimeline" ]
  edge [ source 9 target 18 stage 1 p 0.1 types "readUserTimeline" ]
  edge [ source 9 target 8 stage 2 types "readUserTimeline" ]
  edge [ source 9 target 17 stage 2 p 0.1 types "readUserTimeline" ]
# ---- home-timeline: WriteHomeTimeline (compose) ----
  edge [ source 10 target 11 stage 0 types "composePost" ]
  edge [ source 10 target 19 stage 1 types "composePost" ]
# ---- home-timeline: ReadHomeTimeline ----
  edge [ source 10 target 19 stage 0 types "readHomeTimeline" ]
  edge [ source 10 target 8 stage 1 types "readHomeTimeline" ]
# ---- social-graph.GetFollowers (only composePost reaches it) ----
  edge [ source 11 target 20 stage 0 ]
  edge [ source 11 target 21 stage 1 p 0.05 ]
  edge [ source 11 target 20 stage 2 p 0.05 ]
]
