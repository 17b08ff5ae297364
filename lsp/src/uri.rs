//! `file:` URIs <-> paths.

use std::path::{Path, PathBuf};

use lsp_types::Uri;

/// The path of a `file:` URI; `None` for other schemes or malformed URIs.
pub fn to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // The authority (usually empty or `localhost`) ends at the first `/`.
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    #[cfg(windows)]
    let decoded = {
        // `/C:/x` -> `C:/x`
        let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
        if trimmed.as_bytes().get(1) == Some(&b':') {
            trimmed.replace('/', "\\")
        } else {
            decoded.replace('/', "\\")
        }
    };
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    #[cfg(windows)]
    let text = format!("/{}", text.replace('\\', "/"));
    let mut uri = String::from("file://");
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.parse().ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn round_trips_odd_characters() {
        let path = Path::new("/tmp/my stack/é#1/main.berth");
        let uri = from_path(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20stack/%C3%A9%231/main.berth");
        assert_eq!(to_path(&uri).unwrap(), path);
    }

    #[test]
    fn accepts_localhost_and_rejects_other_schemes() {
        let uri: Uri = "file://localhost/a/b.berth".parse().unwrap();
        assert_eq!(to_path(&uri).unwrap(), Path::new("/a/b.berth"));
        let uri: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(to_path(&uri), None);
        let uri: Uri = "file:///a/%zz"
            .parse()
            .unwrap_or_else(|_| "file:///a".parse().unwrap());
        let _ = to_path(&uri);
    }
}
