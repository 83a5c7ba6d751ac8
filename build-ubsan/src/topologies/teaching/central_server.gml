# The central-server model (lesson 6): a request alternates between the
# cpu and the disk. After each cpu burst it goes to the disk with
# probability 0.75 and leaves with probability 0.25; after each disk
# access it always comes back to the cpu. Feedback: visit ratios 4 and 3.
graph [
  directed 1
  node [ id 0 label "cpu"  service "exp(mean=5ms)" ]
  node [ id 1 label "disk" service "exp(mean=8ms)" ]
  edge [ source 0 target 1 kind "forward" p 0.75 ]
  edge [ source 1 target 0 kind "forward" p 1 ]
]
