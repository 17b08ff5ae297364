; Fold block bodies, multi-line maps and lists.
[
  (body)
  (map)
  (list)
] @fold
