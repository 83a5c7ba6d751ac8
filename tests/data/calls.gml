# Named edges for the scenario's calls block: front calls cart twice
# (stages 0 and 1) with a publish in between, cart calls pay once, pay
# forwards to log.
graph [ directed 1
  node [ id 0 label "front" ]
  node [ id 1 label "cart" ]
  node [ id 2 label "pay" ]
  node [ id 3 label "log" ]
  edge [ source 0 target 1 stage 0 ]
  edge [ source 0 target 1 kind "publish" ]
  edge [ source 0 target 1 stage 1 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 3 kind "forward" p 0.5 ]
]
