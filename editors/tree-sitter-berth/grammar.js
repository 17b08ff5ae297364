/**
 * @file tree-sitter grammar for berth (.berth), the infrastructure-as-code
 *       language described in DESIGN.md ("The language").
 * @license Apache-2.0
 *
 * A file is a sequence of blocks `KIND [LABEL] { body }`; a body holds
 * attributes `name = expr` and nested blocks, separated by newlines, plain
 * whitespace or optional commas (body items never begin with a token that
 * could continue the previous expression, so newlines need no scanner).
 * The external scanner, src/scanner.c, lexes heredocs (`<<EOT` ... `EOT`):
 * ending one on a line holding only its own marker needs the marker
 * remembered, which no regular token can do.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));

// Infix operators and how tightly they bind, as in Terraform: `*` before `+`
// before comparisons before `==` before `&&` before `||`.
const BINARY = [
  ['||', 1],
  ['&&', 2],
  ['==', 3],
  ['!=', 3],
  ['<', 4],
  ['<=', 4],
  ['>', 4],
  ['>=', 4],
  ['+', 5],
  ['-', 5],
  ['*', 6],
  ['/', 6],
  ['%', 6],
];

module.exports = grammar({
  name: 'berth',

  extras: ($) => [/\s/, $.comment],

  // Heredocs, lexed by src/scanner.c (the order here is its TokenType's).
  externals: ($) => [
    $.heredoc_start,
    $.heredoc_content,
    $._heredoc_escape,
    $.heredoc_end,
    // Never used by a rule: valid only in error recovery, when the scanner
    // leaves the lexing to the grammar.
    $._error_sentinel,
  ],

  word: ($) => $.identifier,

  rules: {
    source_file: ($) => repeat($.block),

    // KIND [LABEL] { ... } -- top-level resources, `variable`, `stack`, and
    // nested blocks (container, rule, route, ingress, health_check, ...).
    // A lookup, `data vpc main { ... }`, has two kind words before its label;
    // Terraform's headers, `resource "aws_vpc" "main" { ... }` and
    // `data "aws_vpc" "main" { ... }`, quote them.
    block: ($) =>
      seq(
        field('kind', $.identifier),
        optional(
          choice(
            field('label', choice($.identifier, $.string)),
            seq(field('kind', $.identifier), field('label', $.identifier)),
            seq(field('kind', $.string), field('label', $.string)),
          ),
        ),
        field('body', $.body),
      ),

    body: ($) => seq('{', repeat(seq($._body_item, optional(','))), '}'),

    _body_item: ($) => choice($.attribute, $.block),

    attribute: ($) =>
      seq(field('name', $.identifier), '=', field('value', $._expression)),

    _expression: ($) =>
      choice(
        $.string,
        $.heredoc,
        $.number,
        $.boolean,
        $.null,
        $.list,
        $.map,
        $.for_list,
        $.for_map,
        $.function_call,
        $.postfix_expression,
        $.reference,
        $.parenthesized_expression,
        $.unary_expression,
        $.binary_expression,
        $.conditional_expression,
      ),

    parenthesized_expression: ($) => seq('(', $._expression, ')'),

    unary_expression: ($) =>
      prec(
        7,
        seq(
          field('operator', choice('!', '-')),
          field('operand', $._expression),
        ),
      ),

    binary_expression: ($) =>
      choice(
        ...BINARY.map(([operator, precedence]) =>
          prec.left(
            precedence,
            seq(
              field('left', $._expression),
              field('operator', operator),
              field('right', $._expression),
            ),
          ),
        ),
      ),

    // cond ? a : b, binding loosest and grouping to the right.
    conditional_expression: ($) =>
      prec.right(
        0,
        seq(
          field('condition', $._expression),
          '?',
          field('consequence', $._expression),
          ':',
          field('alternative', $._expression),
        ),
      ),

    // KIND.NAME, KIND.NAME.ATTR, KIND.NAME["key"].ATTR, KIND.NAME[*].ATTR,
    // var.NAME, each.key
    reference: ($) =>
      seq(
        field('root', $.identifier),
        repeat(choice($.member, $.index, $.splat)),
      ),

    // Steps read from a value that is not a name: split(",", s)[0],
    // (x).key, [for s in xs : s][*].id.
    postfix_expression: ($) =>
      prec.left(
        8,
        seq(
          field(
            'base',
            choice(
              $.function_call,
              $.parenthesized_expression,
              $.list,
              $.map,
              $.for_list,
              $.for_map,
            ),
          ),
          repeat1(choice($.member, $.index, $.splat)),
        ),
      ),

    member: ($) => seq('.', field('name', $.identifier)),

    index: ($) => seq('[', field('key', $._expression), ']'),

    // [*]: every instance of a repeated resource, every element of a list;
    // Terraform 0.11 wrote it .* (subnet.public.*.id).
    splat: (_) => choice(seq('[', '*', ']'), seq('.', '*')),

    // A name followed by `(` is a call, never a name then a map's computed
    // key (`{ a = b (k) = c }` is not HCL).
    function_call: ($) =>
      prec(
        1,
        seq(field('function', $.identifier), field('arguments', $.arguments)),
      ),

    // f(a, list...): the last argument's elements are the arguments.
    arguments: ($) =>
      seq(
        '(',
        optional(
          seq(
            commaSep1($._expression),
            optional(choice(',', field('expand', '...'))),
          ),
        ),
        ')',
      ),

    list: ($) =>
      seq('[', optional(seq(commaSep1($._expression), optional(','))), ']'),

    map: ($) => seq('{', repeat(seq($.map_entry, optional(','))), '}'),

    // Terraform's for expressions: [for k, v in xs : v if cond] makes a
    // list, {for k, v in xs : KEY => VALUE...} a map.
    for_list: ($) =>
      seq(
        '[',
        $.for_intro,
        field('value', $._expression),
        optional($.for_condition),
        ']',
      ),

    for_map: ($) =>
      seq(
        '{',
        $.for_intro,
        field('key', $._expression),
        '=>',
        field('value', $._expression),
        optional(field('group', '...')),
        optional($.for_condition),
        '}',
      ),

    for_intro: ($) =>
      seq(
        'for',
        field('name', $.identifier),
        optional(seq(',', field('name', $.identifier))),
        'in',
        field('collection', $._expression),
        ':',
      ),

    for_condition: ($) => seq('if', field('condition', $._expression)),

    map_entry: ($) =>
      seq(
        field(
          'key',
          choice($.identifier, $.quoted_key, $.parenthesized_expression),
        ),
        choice('=', ':'),
        field('value', $._expression),
      ),

    // A map key in double quotes ("cost-center" = ...): shaped like a string,
    // kept apart from `string` so it highlights as a key.
    quoted_key: ($) =>
      seq(
        '"',
        repeat(choice($.string_content, $.escape_sequence, $.interpolation)),
        token.immediate('"'),
      ),

    string: ($) =>
      seq(
        '"',
        repeat(
          choice(
            $.string_content,
            $.escape_sequence,
            $.interpolation,
          ),
        ),
        token.immediate('"'),
      ),

    // Terraform's heredoc: `<<EOT` or `<<-EOT` (which takes off the
    // indentation its lines share) at the end of a line, the lines up to
    // one holding only `EOT`, with `${ }` and `$${` as in strings but no
    // backslash escapes (`#` and `"` are text). heredoc_start holds the
    // opening line's marker and line break, heredoc_end the closing line.
    heredoc: ($) =>
      seq(
        $.heredoc_start,
        repeat(
          choice(
            $.heredoc_content,
            alias($._heredoc_escape, $.escape_sequence),
            $.interpolation,
          ),
        ),
        $.heredoc_end,
      ),

    // Higher lexical precedence than comment, so `#` inside a string is text.
    // A `$` not starting `${` or `$${` is plain text too.
    string_content: (_) =>
      choice(
        token.immediate(prec(1, /([^"\\$\n]|\$[^"\\${\n])+/)),
        token.immediate('$'),
      ),

    // \" \\ \n \r \t \$ and `$${`, the literal `${`.
    escape_sequence: (_) =>
      token.immediate(choice(/\\["\\nrt$]/, '$${')),

    interpolation: ($) =>
      seq(token.immediate('${'), field('expression', $._expression), '}'),

    // 80, -1, 0.5, -0.75: digits with an optional fraction (no exponent,
    // no leading or trailing `.`).
    number: (_) => /-?[0-9]+(\.[0-9]+)?/,

    boolean: (_) => choice('true', 'false'),

    null: (_) => 'null',

    identifier: (_) => /[A-Za-z_][A-Za-z0-9_-]*/,

    // HCL's three: `#` and `//` to the end of the line, `/* */` across lines.
    comment: (_) =>
      token(choice(seq('#', /.*/), seq('//', /.*/), seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'))),
  },
});
