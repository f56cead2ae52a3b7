graph [
  directed 1
  node [
    id 0
    label "alice"
  ]
  node [
    id 1
    label "bob"
  ]
  node [
    id 2
    label "carol"
  ]
  node [
    id 3
    label "Mr. Hi"
  ]
  node [
    id 4
    label "dave"
  ]
  edge [
    source 0
    target 1
    weight 0.5
  ]
  edge [
    source 0
    target 3
    weight 0.125
  ]
  edge [
    source 1
    target 2
    weight 0.25
  ]
  edge [
    source 2
    target 0
    weight 1.0
  ]
]
