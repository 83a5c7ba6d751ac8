# One service behind a rate limit (check_mdl_ratelimit.c): api works
# det(1ms) with ample workers, so only the limiter refuses.
graph [
  directed 1
  node [ id 0 label "api" service "det(1ms)" servers 64 ]
]
