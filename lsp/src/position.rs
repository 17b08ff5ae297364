//! Conversion between byte offsets into a text and LSP positions, whose
//! columns count UTF-16 code units (the protocol's default encoding).

use lsp_types::{Position, Range};

/// Where each line of a text starts, for offset <-> position conversion.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol defines them.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts }
    }

    /// The position of a byte offset. Offsets past the end are clamped to the
    /// end, offsets inside a character to that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.encode_utf16().count());
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of a position. A line past the end gives the end of the
    /// text; a column past the end of its line gives the end of the line; a
    /// column inside a surrogate pair gives the start of that character.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self.line_content_end(position.line as usize);
        let mut units = 0usize;
        let wanted = position.character as usize;
        for (i, c) in self.text.get(start..end).unwrap_or("").char_indices() {
            if units + c.len_utf16() > wanted {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The range covering the byte range `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end.max(start)))
    }

    /// The end of a line's text, before its line break.
    fn line_content_end(&self, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return self.text.len();
        };
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > 0 && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn ascii_round_trips() {
        let text = "vpc main {\n  cidr = 1\n}\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), pos(0, 0));
        assert_eq!(index.position(4), pos(0, 4));
        assert_eq!(index.position(13), pos(1, 2));
        assert_eq!(index.position(text.len()), pos(3, 0));
        for offset in 0..=text.len() {
            assert_eq!(index.offset(index.position(offset)), offset, "offset {offset}");
        }
    }

    #[test]
    fn columns_count_utf16_units_after_non_ascii() {
        // "é" is 2 bytes and 1 UTF-16 unit; "🚀" is 4 bytes and 2 units.
        let text = "# café 🚀 x\nvpc main {}\n";
        let index = LineIndex::new(text);
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(x, 13);
        assert_eq!(index.position(x), pos(0, 10));
        assert_eq!(index.offset(pos(0, 10)), x);
        let rocket = text.find('🚀').unwrap();
        assert_eq!(index.position(rocket), pos(0, 7));
        assert_eq!(index.position(rocket + 4), pos(0, 9));
        // Inside the surrogate pair: the character's start.
        assert_eq!(index.offset(pos(0, 8)), rocket);
        // Inside the UTF-8 encoding of a character: its start.
        assert_eq!(index.position(rocket + 2), pos(0, 7));
        let vpc = text.find("main").unwrap();
        assert_eq!(index.position(vpc), pos(1, 4));
        assert_eq!(index.offset(pos(1, 4)), vpc);
    }

    #[test]
    fn span_after_an_emoji_comment_maps_to_utf16_range() {
        let text = "# é 😀\nvpc dns_hostname {}\n";
        let index = LineIndex::new(text);
        let start = text.find("dns_hostname").unwrap();
        let range = index.range(start, start + "dns_hostname".len());
        assert_eq!(range, Range::new(pos(1, 4), pos(1, 16)));
        let first = LineIndex::new("é😀x");
        assert_eq!(first.position("é😀".len()), pos(0, 3));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(pos(0, 99)), 2);
        assert_eq!(index.offset(pos(9, 0)), text.len());
        assert_eq!(index.position(999), pos(1, 2));
        assert_eq!(LineIndex::new("").position(0), pos(0, 0));
        assert_eq!(LineIndex::new("").offset(pos(3, 3)), 0);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc";
        let index = LineIndex::new(text);
        assert_eq!(index.position(3), pos(1, 0));
        assert_eq!(index.position(5), pos(2, 0));
        assert_eq!(index.offset(pos(0, 5)), 1);
        assert_eq!(index.offset(pos(1, 0)), 3);
        assert_eq!(index.offset(pos(2, 1)), 6);
    }
}
