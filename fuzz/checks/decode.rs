//! Reading a file's bytes as text (`decode::decode`): any bytes give text or an error, never a
//! panic. Text that comes back is never blank, and valid UTF-8 without a byte-order mark comes
//! back unchanged.

use dafu_extract::decode::decode;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Checks one input; panics on a broken promise.
pub fn check(data: &[u8]) {
    let Ok(decoded) = decode(data) else {
        return;
    };
    assert!(!decoded.text.trim().is_empty(), "blank text decoded");
    if !data.starts_with(UTF8_BOM)
        && let Ok(utf8) = std::str::from_utf8(data)
    {
        assert_eq!(decoded.text, utf8, "UTF-8 input changed");
        assert_eq!(decoded.encoding, "UTF-8");
    }
}
