# One station; scenarios set its servers, capacity and service time
# through their services: block, so M/M/c, M/M/c/K, M/D/1 and M/H2/1 share
# this file.
graph [
  directed 1
  node [ id 0 label "server" ]
]
