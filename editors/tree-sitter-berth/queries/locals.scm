; Scopes, definitions and references (nvim-treesitter conventions), used for
; "go to definition" / highlight-references style features. Not used by the
; tree-sitter CLI's highlighter (see tree-sitter.json), so it does not change
; highlighting. A stack (all .berth files of a directory) is one scope; a
; file is the closest approximation a single-file parser has.
(source_file) @local.scope

; variable NAME { ... }  <-  var.NAME
((block
  kind: (identifier) @_kind
  label: (identifier) @local.definition.var)
  (#eq? @_kind "variable"))

; KIND NAME { ... }  <-  KIND.NAME
((block
  kind: (identifier) @_kind
  label: (identifier) @local.definition.type)
  (#not-eq? @_kind "variable"))

; The NAME part of var.NAME and KIND.NAME.
(reference
  root: (identifier)
  .
  (member
    name: (identifier) @local.reference))
