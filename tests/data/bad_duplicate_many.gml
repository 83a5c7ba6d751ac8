# Several duplicates, file order unlike name order: the first node whose
# name came before (node 3, 'a', on line 9) is reported, with its first
# definition (node 1, line 7).
graph [
  directed 1
  node [ id 0 label "z" ]
  node [ id 1 label "a" ]
  node [ id 2 label "b" ]
  node [ id 3 label "a" ]
  node [ id 4 label "z" ]
  node [ id 5 label "b" ]
  node [ id 6 label "a" ]
]
