// External scanner for tree-sitter-berth: Terraform's heredoc strings.
//
//   policy = <<-EOT
//     {"Resource": "${log_group.app.arn}", "Sid": "$${literal}"}
//     EOT
//
// A heredoc opens with `<<MARKER` or `<<-MARKER` (MARKER: an ASCII letter,
// then letters, digits, `_` or `-`), spaces or tabs, and a line break; its
// text is the lines up to the first one holding only MARKER (spaces or tabs
// allowed around it). Inside, `${ expr }` is an interpolation and `$${` a
// literal `${`, as in quoted strings; nothing else is special (no backslash
// escapes, `#` and `"` are text). A regular grammar cannot match the closing
// marker against the opening one, hence this scanner, which remembers the
// marker from `heredoc_start` to `heredoc_end` (and serializes it).
//
// Tokens:
//   heredoc_start    `<<MARKER` / `<<-MARKER`, trailing spaces and the line
//                    break (so the text starts at the next line);
//   heredoc_content  a run of text, up to a `${`, a `$${`, or the end of the
//                    line before the closing one (line breaks included);
//   _heredoc_escape  `$${` (aliased to escape_sequence in grammar.js);
//   heredoc_end      the closing line: the blanks before MARKER, and MARKER.
// The `${` of an interpolation is left to the grammar's own lexer.

#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum TokenType {
  HEREDOC_START,
  HEREDOC_CONTENT,
  HEREDOC_ESCAPE,
  HEREDOC_END,
  ERROR_SENTINEL,
};

// The longest marker taken (berth's own parser has no limit): the state, a
// length byte and the marker, must fit serialize's buffer
// (TREE_SITTER_SERIALIZATION_BUFFER_SIZE, 1024 bytes).
#define MAX_MARKER 255

typedef struct {
  uint8_t len;  // 0: not in a heredoc
  char marker[MAX_MARKER];
} Scanner;

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static inline bool is_blank(int32_t c) { return c == ' ' || c == '\t'; }

static inline bool is_letter(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_marker_char(int32_t c) {
  return is_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

void *tree_sitter_berth_external_scanner_create(void) {
  Scanner *s = ts_calloc(1, sizeof(Scanner));
  return s;
}

void tree_sitter_berth_external_scanner_destroy(void *payload) { ts_free(payload); }

unsigned tree_sitter_berth_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  buffer[0] = (char)s->len;
  memcpy(buffer + 1, s->marker, s->len);
  return 1 + s->len;
}

void tree_sitter_berth_external_scanner_deserialize(void *payload, const char *buffer,
                                                    unsigned length) {
  Scanner *s = payload;
  s->len = 0;
  if (length > 0) {
    unsigned len = (uint8_t)buffer[0];
    if (len <= MAX_MARKER && len + 1 <= length) {
      s->len = (uint8_t)len;
      memcpy(s->marker, buffer + 1, len);
    }
  }
}

// `<<MARKER` or `<<-MARKER`, spaces or tabs, a line break. Whitespace before
// it is skipped (the external scanner runs before the lexer skips extras).
static bool scan_start(Scanner *s, TSLexer *lexer) {
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t' || lexer->lookahead == '\n' ||
         lexer->lookahead == '\r' || lexer->lookahead == '\f' || lexer->lookahead == '\v') {
    skip(lexer);
  }
  if (lexer->lookahead != '<') return false;
  advance(lexer);
  if (lexer->lookahead != '<') return false;
  advance(lexer);
  if (lexer->lookahead == '-') advance(lexer);
  if (!is_letter(lexer->lookahead)) return false;
  char marker[MAX_MARKER];
  unsigned len = 0;
  while (is_marker_char(lexer->lookahead)) {
    // A marker too long to remember is not taken for a heredoc's.
    if (len == MAX_MARKER) return false;
    marker[len++] = (char)lexer->lookahead;
    advance(lexer);
  }
  while (is_blank(lexer->lookahead)) advance(lexer);
  if (lexer->lookahead == '\r') advance(lexer);
  if (lexer->lookahead != '\n') return false;
  advance(lexer);
  lexer->mark_end(lexer);
  s->len = (uint8_t)len;
  memcpy(s->marker, marker, len);
  lexer->result_symbol = HEREDOC_START;
  return true;
}

// At a line's first character: whether the line holds only the marker,
// with spaces or tabs around it. Consumes the blanks before the marker and
// what matched of it; with mark_marker, the token ends after the marker.
static bool scan_end_line(Scanner *s, TSLexer *lexer, bool mark_marker) {
  while (is_blank(lexer->lookahead)) advance(lexer);
  for (unsigned i = 0; i < s->len; i++) {
    if (lexer->lookahead != (unsigned char)s->marker[i]) return false;
    advance(lexer);
  }
  if (is_marker_char(lexer->lookahead)) return false;
  if (mark_marker) lexer->mark_end(lexer);
  while (is_blank(lexer->lookahead)) advance(lexer);
  return lexer->lookahead == '\n' || lexer->lookahead == '\r' || lexer->eof(lexer);
}

// In a heredoc's text: heredoc_end on the closing line, else a run of text
// or `$${`. False at `${` (the grammar lexes the interpolation) and at the
// end of the file (the missing heredoc_end is the error).
static bool scan_body(Scanner *s, TSLexer *lexer, const bool *valid_symbols) {
  bool has_text = false;
  if (lexer->get_column(lexer) == 0) {
    // The text stops at the end of a line (see below), so this is the start
    // of the first line, or of one that opens with `${` or `$${`.
    if (scan_end_line(s, lexer, true)) {
      if (!valid_symbols[HEREDOC_END]) return false;
      s->len = 0;
      lexer->result_symbol = HEREDOC_END;
      return true;
    }
    has_text = lexer->get_column(lexer) > 0;
  }
  while (!lexer->eof(lexer)) {
    if (lexer->lookahead == '$') {
      lexer->mark_end(lexer);
      advance(lexer);
      if (lexer->lookahead == '{') {
        // `${`: an interpolation, for the grammar's lexer.
        if (!has_text) return false;
        lexer->result_symbol = HEREDOC_CONTENT;
        return true;
      }
      if (lexer->lookahead == '$') {
        advance(lexer);
        if (lexer->lookahead == '{') {
          if (has_text) {
            lexer->result_symbol = HEREDOC_CONTENT;
            return true;
          }
          if (!valid_symbols[HEREDOC_ESCAPE]) return false;
          advance(lexer);
          lexer->mark_end(lexer);
          lexer->result_symbol = HEREDOC_ESCAPE;
          return true;
        }
      }
      has_text = true;
      continue;
    }
    int32_t c = lexer->lookahead;
    advance(lexer);
    has_text = true;
    if (c == '\n') {
      // The text stops at the end of the line before the closing one; any
      // other line goes on being text.
      lexer->mark_end(lexer);
      if (scan_end_line(s, lexer, false)) {
        lexer->result_symbol = HEREDOC_CONTENT;
        return true;
      }
    }
  }
  lexer->mark_end(lexer);
  if (!has_text) return false;
  lexer->result_symbol = HEREDOC_CONTENT;
  return true;
}

bool tree_sitter_berth_external_scanner_scan(void *payload, TSLexer *lexer,
                                             const bool *valid_symbols) {
  Scanner *s = payload;
  // Error recovery asks for every token: let the grammar's lexer go on.
  if (valid_symbols[ERROR_SENTINEL]) return false;
  if ((valid_symbols[HEREDOC_CONTENT] || valid_symbols[HEREDOC_END]) && s->len > 0) {
    return scan_body(s, lexer, valid_symbols);
  }
  if (valid_symbols[HEREDOC_START]) return scan_start(s, lexer);
  return false;
}
