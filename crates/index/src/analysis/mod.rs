//! Chinese text analysis, defined once for the writer and the searcher.
//!
//! Two analyzers are registered on every dafu index under fixed names:
//!
//! * [`WORDS`] — [`WordTokenizer`]: jieba words (plus dictionary sub-words at the same
//!   position) for BM25 ranking;
//! * [`CHARS`] — [`CharTokenizer`]: one token per character, for exact substring (phrase)
//!   matching whatever the segmentation, on the short fields (title, department, proposer,
//!   文号);
//! * [`BIGRAMS`] — [`BigramTokenizer`]: every two characters in a row, for the same exact
//!   substrings in the reply text, where single characters made the phrases slow.
//!
//! Both fold the text first ([`dafu_extract::normalize`]): full-width ASCII to half-width,
//! ASCII to lower case, 文号 bracket variants to 〔〕, traditional characters to simplified ones
//! (before segmentation: jieba's dictionaries are simplified). Offsets always point into the
//! original text. Query code analyses user input with the same [`Analysis`] value, so index and query
//! time can never disagree.
//!
//! ```
//! use dafu_index::analysis::Analysis;
//! let analysis = Analysis::embedded().unwrap();
//! let words: Vec<String> = analysis.words("加强社会组织人才队伍建设").into_iter().map(|t| t.text).collect();
//! assert!(words.contains(&"社会组织".to_string()));
//! let chars: Vec<String> = analysis.chars("吉民议字[2020]4号").into_iter().map(|t| t.text).collect();
//! assert_eq!(chars.concat(), "吉民议字20204号");
//! ```

mod bigrams;
mod chars;
mod normalized;
mod synonyms;
mod token_buffer;
mod words;

use std::path::Path;
use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token};

pub use bigrams::BigramTokenizer;
pub use chars::CharTokenizer;
pub use normalized::Normalized;
pub use synonyms::{EMBEDDED_SYNONYMS, SYNONYMS_FILE, Synonyms};
pub use words::{BufferedTokenStream, WordTokenizer};

use crate::error::IndexError;
use dafu_extract::region::RegionTable;
use token_buffer::TokenBuffer;

/// Name of the word analyzer in an index's tokenizer manager.
pub const WORDS: &str = "dafu_words";
/// Name of the character analyzer.
pub const CHARS: &str = "dafu_chars";
/// Name of the bigram analyzer of the reply text.
pub const BIGRAMS: &str = "dafu_bigrams";

/// The domain dictionary compiled into this build (`index-data/dict/*.txt`).
pub const EMBEDDED_DICTS: &[(&str, &str)] = &[
    (
        "domain.txt",
        include_str!("../../../../index-data/dict/domain.txt"),
    ),
    (
        "departments.txt",
        include_str!("../../../../index-data/dict/departments.txt"),
    ),
];

/// CRC-32 over `(file name, text)` pairs in file-name order.
fn dictionary_version<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> u32 {
    let mut files: Vec<_> = files.collect();
    files.sort();
    let mut hasher = crc32fast::Hasher::new();
    for (name, text) in files {
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    }
    hasher.finalize()
}

/// Frequency given to place names from the region table, high enough that jieba keeps 嘉兴市
/// and 嘉善县 whole.
const PLACE_FREQ: usize = 20_000;

/// The shared segmenter, its dictionaries and the query-time synonyms. Cheap to clone (`Arc`s).
#[derive(Clone)]
pub struct Analysis {
    jieba: Arc<Jieba>,
    dictionary_words: usize,
    /// CRC-32 of the domain dictionary files (by file name, in name order).
    dictionary_version: u32,
    synonyms: Arc<Synonyms>,
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("dictionary_words", &self.dictionary_words)
            .field("synonym_groups", &self.synonyms.groups())
            .finish()
    }
}

impl Analysis {
    /// jieba's default dictionary, the domain dictionary compiled into this build, and every
    /// place name of the region table; the compiled-in synonyms.
    pub fn embedded() -> Result<Self, IndexError> {
        let mut jieba = Jieba::new();
        let mut words = 0;
        for (name, text) in EMBEDDED_DICTS {
            words += load_dict(&mut jieba, name, text)?;
        }
        words += add_places(&mut jieba);
        let version = dictionary_version(EMBEDDED_DICTS.iter().map(|(n, t)| (*n, *t)));
        Self::from_jieba(jieba, words, version)
    }

    /// Like [`Analysis::embedded`], but reads the domain dictionary from every `*.txt` file in
    /// `dict_dir` (jieba's `word [freq] [tag]` format) instead of the compiled-in copy. The
    /// synonyms are the compiled-in ones until [`Analysis::with_synonyms`].
    pub fn from_dict_dir(dict_dir: &Path) -> Result<Self, IndexError> {
        let mut jieba = Jieba::new();
        let mut files: Vec<_> = std::fs::read_dir(dict_dir)
            .map_err(|e| IndexError::io(dict_dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut words = 0;
        let mut texts = Vec::with_capacity(files.len());
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| IndexError::io(&path, e))?;
            words += load_dict(&mut jieba, &path.display().to_string(), &text)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            texts.push((name, text));
        }
        words += add_places(&mut jieba);
        let version = dictionary_version(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())));
        Self::from_jieba(jieba, words, version)
    }

    fn from_jieba(
        jieba: Jieba,
        dictionary_words: usize,
        dictionary_version: u32,
    ) -> Result<Self, IndexError> {
        Ok(Analysis {
            jieba: Arc::new(jieba),
            dictionary_words,
            dictionary_version,
            synonyms: Arc::new(Synonyms::embedded()?),
        })
    }

    /// This analysis with other synonyms (they only change how queries are expanded, never
    /// what the index stores).
    pub fn with_synonyms(mut self, synonyms: Synonyms) -> Self {
        self.synonyms = Arc::new(synonyms);
        self
    }

    /// Reads the synonyms of a data folder's `synonyms.txt`, or the compiled-in ones when the
    /// folder has none (an index built before synonyms existed).
    pub fn with_synonyms_from(self, data_dir: &Path) -> Result<Self, IndexError> {
        let path = data_dir.join(SYNONYMS_FILE);
        let synonyms = match std::fs::read_to_string(&path) {
            Ok(text) => Synonyms::parse(&path.display().to_string(), &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Synonyms::embedded()?,
            Err(e) => return Err(IndexError::io(&path, e)),
        };
        Ok(self.with_synonyms(synonyms))
    }

    /// The other members of the synonym groups of a query word (folded; see [`Synonyms`]),
    /// empty for most words.
    ///
    /// ```
    /// use dafu_index::analysis::Analysis;
    /// let analysis = Analysis::embedded().unwrap();
    /// assert!(analysis.synonyms("人社厅").iter().any(|s| s == "人力资源和社会保障厅"));
    /// assert!(analysis.synonyms("培训").is_empty());
    /// ```
    pub fn synonyms(&self, word: &str) -> &[String] {
        self.synonyms.of(word)
    }

    /// How many words the domain dictionary and the region table added.
    /// The version of the domain dictionary: a CRC-32 of its files, the same for the
    /// compiled-in copy and a folder holding the same files, as 8 hex digits.
    pub fn dictionary_version(&self) -> String {
        format!("{:08x}", self.dictionary_version)
    }

    pub fn dictionary_words(&self) -> usize {
        self.dictionary_words
    }

    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// Registers [`WORDS`] and [`CHARS`] on an index (needed after every open).
    pub fn register(&self, index: &Index) {
        let manager = index.tokenizers();
        manager.register(
            WORDS,
            TextAnalyzer::builder(WordTokenizer::new(self.jieba.clone())).build(),
        );
        manager.register(
            CHARS,
            TextAnalyzer::builder(CharTokenizer::default()).build(),
        );
        manager.register(
            BIGRAMS,
            TextAnalyzer::builder(BigramTokenizer::default()).build(),
        );
    }

    /// The precise-mode words of a query string (no sub-words), folded, separators dropped.
    pub fn words(&self, text: &str) -> Vec<Token> {
        let normalized = Normalized::new(text);
        let mut out = TokenBuffer::default();
        words::word_tokens(&self.jieba, &normalized, &mut out, false);
        out.into_vec()
    }

    /// The word tokens as the index stores them (with sub-words).
    pub fn index_words(&self, text: &str) -> Vec<Token> {
        let normalized = Normalized::new(text);
        let mut out = TokenBuffer::default();
        words::word_tokens(&self.jieba, &normalized, &mut out, true);
        out.into_vec()
    }

    /// The character tokens of a string, folded, separators dropped.
    pub fn chars(&self, text: &str) -> Vec<Token> {
        let normalized = Normalized::new(text);
        let mut out = TokenBuffer::default();
        chars::char_tokens(&normalized, &mut out);
        out.into_vec()
    }

    /// The bigram tokens of `text` as the reply text is indexed.
    pub fn bigrams(&self, text: &str) -> Vec<Token> {
        let normalized = Normalized::new(text);
        let mut out = TokenBuffer::default();
        bigrams::bigram_tokens(&normalized, &mut out);
        out.into_vec()
    }
}

fn load_dict(jieba: &mut Jieba, name: &str, text: &str) -> Result<usize, IndexError> {
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default();
        let freq = match parts.next() {
            None => None,
            Some(f) => Some(f.parse::<usize>().map_err(|_| IndexError::Dictionary {
                file: name.to_string(),
                line: i + 1,
                message: format!("frequency {f:?} is not a number"),
            })?),
        };
        jieba.add_word(word, freq, parts.next());
        count += 1;
    }
    Ok(count)
}

fn add_places(jieba: &mut Jieba) -> usize {
    let table = RegionTable::embedded();
    for r in table.all() {
        jieba.add_word(&r.name, Some(PLACE_FREQ), Some("ns"));
    }
    table.all().len()
}

#[cfg(test)]
mod tests;
