; Fold block bodies, multi-line maps and lists, heredocs.
[
  (body)
  (map)
  (list)
  (heredoc)
] @fold
