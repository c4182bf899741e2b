//! The sentences of a reply that hold the query's matches, found from the matches outward.
//!
//! A sentence ends after 。！？；(or their ASCII forms) or a line break, except where a match
//! (a phrase that wraps across a line) runs over that character: the sentence goes on. Only
//! sentences with a match can make a fragment, so the ends are sought from each match
//! backwards to the one before it and forwards to the one after, never across the text
//! between sentences without a match (finding every end of a long reply was a fifth of its
//! highlighting). The full-width ends are the only characters that begin with the bytes
//! E3 80 82 (。) or EF BC 81, 9F, 9B (！？；): `memchr` finds those lead bytes, which stand
//! only before full-width punctuation, and the ASCII ends are sought only up to the first.

use std::ops::Range;

use memchr::{memchr, memchr2_iter, memchr3, memrchr, memrchr3};

/// Whether a full-width sentence end begins at byte `at`.
fn wide_end_at(bytes: &[u8], at: usize) -> bool {
    matches!(
        bytes.get(at..at + 3),
        Some([0xE3, 0x80, 0x82] | [0xEF, 0xBC, 0x81 | 0x9F | 0x9B])
    )
}

/// The first sentence end in `bytes[from..]`: the byte it is at and the byte after it.
fn next_end(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let tail = bytes.get(from..)?;
    let wide = memchr2_iter(0xE3, 0xEF, tail).find(|&i| wide_end_at(tail, i));
    let before = &tail[..wide.unwrap_or(tail.len())];
    let line = memchr3(b'\n', b'!', b'?', before);
    let narrow = memchr(b';', &before[..line.unwrap_or(before.len())]).or(line);
    match (narrow, wide) {
        (Some(i), _) => Some((from + i, from + i + 1)),
        (None, Some(i)) => Some((from + i, from + i + 3)),
        (None, None) => None,
    }
}

/// The last sentence end in `bytes[floor..before]`: the byte it is at and the byte after it.
fn last_end(bytes: &[u8], floor: usize, before: usize) -> Option<(usize, usize)> {
    let span = bytes.get(floor..before)?;
    let wide = memchr2_iter(0xE3, 0xEF, span)
        .rev()
        .find(|&i| wide_end_at(span, i));
    let after = wide.map_or(0, |i| i + 3);
    let tail = &span[after..];
    let line = memrchr3(b'\n', b'!', b'?', tail);
    let narrow = match memrchr(b';', &tail[line.map_or(0, |i| i + 1)..]) {
        Some(i) => Some(line.map_or(0, |l| l + 1) + i),
        None => line,
    };
    match (narrow, wide) {
        (Some(i), _) => Some((floor + after + i, floor + after + i + 1)),
        (None, Some(i)) => Some((floor + i, floor + i + 3)),
        (None, None) => None,
    }
}

/// The sentences of `text` that hold the matches `found` (byte ranges, in order, not
/// overlapping), in order: each one's bytes and the range of `found` it holds.
pub(super) fn sentences_with_matches<T>(
    text: &str,
    found: &[(Range<usize>, T)],
) -> Vec<(Range<usize>, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut sentences = Vec::new();
    // Where the last sentence ended: no sentence begins before it.
    let mut floor = 0;
    let mut first = 0;
    while first < found.len() {
        let start = last_end(bytes, floor, found[first].0.start).map_or(floor, |(_, after)| after);
        // The end after the last match, unless the next match begins at or before it (then
        // that match is in the sentence too, or runs over the end).
        let mut next = first + 1;
        let mut from = found[first].0.end;
        let end = loop {
            match next_end(bytes, from) {
                Some((at, after)) => {
                    if next < found.len() && found[next].0.start <= at {
                        from = found[next].0.end;
                        next += 1;
                        continue;
                    }
                    break after;
                }
                None => break bytes.len(),
            }
        };
        // Matches after the end of a text without one are in its last sentence.
        if end == bytes.len() {
            next = found.len();
        }
        sentences.push((start..end, first..next));
        floor = end;
        first = next;
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte ranges of `words` in `text`, in order (each found once, left to right).
    fn found(text: &str, words: &[&str]) -> Vec<(Range<usize>, usize)> {
        let mut from = 0;
        words
            .iter()
            .enumerate()
            .map(|(n, w)| {
                let at = from + text[from..].find(w).expect("the word is in the text");
                from = at + w.len();
                (at..from, n)
            })
            .collect()
    }

    #[test]
    fn sentences_hold_their_matches_and_run_over_an_end_a_match_spans() {
        let text = "甲。养老乙养老\n服务。丙。丁资金和资金";
        let found = found(text, &["养老", "养老\n服务", "资金", "资金"]);
        let sentences = sentences_with_matches(text, &found);
        let shown: Vec<(&str, Range<usize>)> = sentences
            .into_iter()
            .map(|(bytes, held)| (&text[bytes], held))
            .collect();
        // The line break inside a match is no end; the text's last sentence has no end.
        assert_eq!(
            shown,
            [("养老乙养老\n服务。", 0..2), ("丁资金和资金", 2..4)]
        );
    }

    #[test]
    fn ends_are_found_forwards_and_backwards_among_other_punctuation() {
        let text = "甲，乙、丙。丁；戊\n己！庚?辛;壬（癸）";
        let bytes = text.as_bytes();
        let mut forward = Vec::new();
        let mut from = 0;
        while let Some((at, after)) = next_end(bytes, from) {
            forward.push(text[at..after].to_string());
            from = after;
        }
        assert_eq!(forward, ["。", "；", "\n", "！", "?", ";"]);
        let mut backward = Vec::new();
        let mut before = bytes.len();
        while let Some((at, after)) = last_end(bytes, 0, before) {
            backward.push(text[at..after].to_string());
            before = at;
        }
        forward.reverse();
        assert_eq!(backward, forward);
    }
}
