# ana_graph fixture: a diamond s -> {a, b} -> t with a tail t -> u, the
# edges of mixed kinds (betweenness counts every kind).
# Directed betweenness by hand (shortest paths between other pairs):
#   s->t: s-a-t and s-b-t, half each to a and b
#   s->u: s-a-t-u and s-b-t-u, half each to a and b, all to t
#   a->u, b->u: through t
#   a = 1, b = 1, t = 3, s = u = 0
# Latency: R(t) = 4 ms (its publish adds 0), R(b) = 3 + 4 = 7 ms,
#   R(a) = 2 + 0.6 x 4 = 4.4 ms, R(s) = 1 + max(4.4, 7) = 8 ms.
graph [
  directed 1
  node [ id 0 label "s" service "det(1ms)" ]
  node [ id 1 label "a" service "det(2ms)" ]
  node [ id 2 label "b" service "det(3ms)" ]
  node [ id 3 label "t" service "det(4ms)" ]
  node [ id 4 label "u" service "det(5ms)" ]
  edge [ source 0 target 1 ]
  edge [ source 0 target 2 ]
  edge [ source 1 target 3 kind "forward" p 0.6 ]
  edge [ source 2 target 3 ]
  edge [ source 3 target 4 kind "publish" ]
]
