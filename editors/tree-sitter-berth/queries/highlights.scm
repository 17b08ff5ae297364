; Highlights for berth. Capture names follow nvim-treesitter's conventions
; (Helix and Zed map the same names; see editors/README.md).
; Patterns are written so that no node gets two captures, so precedence order
; (first-wins in tree-sitter-highlight, last-wins in Neovim) does not matter.

(comment) @comment

; Block kind: top-level (vpc, subnet, service, variable, stack, ...) and nested
; (container, rule, route, ingress, egress, health_check, load_balancer, ...).
(block
  kind: (identifier) @keyword)

; Block label: the resource / variable / nested block name. `stack` takes a
; string label, highlighted as a string below.
(block
  label: (identifier) @type)

; Attribute names and map keys. `for_each` is the repetition meta-attribute.
((attribute
  name: (identifier) @property)
  (#not-eq? @property "for_each"))

((attribute
  name: (identifier) @keyword.repeat)
  (#eq? @keyword.repeat "for_each"))

(map_entry
  key: (identifier) @property)

(map_entry
  key: (quoted_key) @property)

; Strings (quoted and heredoc: `<<EOT` ... `EOT`, markers included) and
; interpolation
(string) @string

(heredoc) @string

(escape_sequence) @string.escape

(interpolation
  "${" @punctuation.special
  "}" @punctuation.special)

; Literals
(number) @number

(boolean) @boolean

(null) @constant.builtin

; References: KIND.NAME.ATTR, KIND.NAME["key"], var.NAME, each.key/each.value
((reference
  root: (identifier) @variable.builtin)
  (#any-of? @variable.builtin "var" "each"))

((reference
  root: (identifier) @variable)
  (#not-any-of? @variable "var" "each"))

(member
  name: (identifier) @variable.member)

; Function calls
(function_call
  function: (identifier) @function.call)

; Operators and punctuation
"=" @operator

(map_entry
  ":" @operator)

(unary_expression
  operator: _ @operator)

(binary_expression
  operator: _ @operator)

(conditional_expression
  [
    "?"
    ":"
  ] @operator)

(parenthesized_expression
  [
    "("
    ")"
  ] @punctuation.bracket)

; for expressions: [for k, v in xs : v if cond], {for x in xs : K => V...}
(for_intro
  [
    "for"
    "in"
  ] @keyword.repeat
  name: (identifier) @variable
  ":" @operator)

(for_condition
  "if" @keyword.conditional)

(for_map
  [
    "=>"
    "..."
  ] @operator)

(for_list
  [
    "["
    "]"
  ] @punctuation.bracket)

(for_map
  [
    "{"
    "}"
  ] @punctuation.bracket)

; Brackets are matched per parent so that the `}` closing an interpolation
; (punctuation.special above) never gets a second capture.
(body
  [
    "{"
    "}"
  ] @punctuation.bracket)

(map
  [
    "{"
    "}"
  ] @punctuation.bracket)

(list
  [
    "["
    "]"
  ] @punctuation.bracket)

(index
  [
    "["
    "]"
  ] @punctuation.bracket)

(splat
  [
    "["
    "]"
  ] @punctuation.bracket
  "*" @operator)

(arguments
  [
    "("
    ")"
  ] @punctuation.bracket)

[
  ","
  "."
] @punctuation.delimiter
