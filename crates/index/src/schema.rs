//! The tantivy schema of a reply index, shared by the writer and the searcher.
//!
//! An index holds two kinds of documents, told apart by the `kind` field:
//!
//! * a **reply** ([`KIND_REPLY`]): the whole text, every extracted field, stored;
//! * a **commitment** ([`KIND_COMMITMENT`]): one promise a reply makes (承诺), with its own text
//!   (in fields of its own: `commitment_text`, `commitment_bigrams`) and the facet fields of its
//!   reply copied, so commitments are searched and faceted on their
//!   own (`/api/commitments`). It has no `id`; its `parent` is the reply's id, and replacing or
//!   deleting a reply deletes its commitments in the same commit.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{BIGRAMS, CHARS, WORDS};

/// Field names, stable across versions (they are the index's on-disk contract).
pub mod names {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const TEXT: &str = "text";
    pub const TEXT_BIGRAMS: &str = "text_bigrams";
    pub const COMMITMENT_TEXT: &str = "commitment_text";
    pub const COMMITMENT_BIGRAMS: &str = "commitment_bigrams";
    pub const DOC_NUMBER: &str = "doc_number";
    pub const FIELDS: &str = "fields";
    pub const PROVINCE: &str = "province";
    pub const CITY: &str = "city";
    pub const COUNTY: &str = "county";
    pub const DEPARTMENT: &str = "department";
    pub const ASSEMBLY: &str = "assembly";
    pub const LEVEL: &str = "level";
    pub const TOPIC: &str = "topic";
    pub const YEAR: &str = "year";
    pub const DATE: &str = "date";
    pub const REPLY_KIND: &str = "reply_kind";
    pub const RESULT_CLASS: &str = "result_class";
    pub const PROPOSAL_NUMBER: &str = "proposal_number";
    pub const SESSION: &str = "session";
    pub const KIND: &str = "kind";
    pub const PARENT: &str = "parent";
    pub const STRENGTH: &str = "strength";
    pub const HAS_QUANTITY: &str = "has_quantity";
    pub const COMMITMENT_COUNT: &str = "commitment_count";
    pub const TITLE_CHARS: &str = "title_chars";
    pub const PROPOSAL_TITLE: &str = "proposal_title";
    pub const DEPARTMENT_CHARS: &str = "department_chars";
    pub const PROPOSER_CHARS: &str = "proposer_chars";
    pub const DOC_NUMBER_CHARS: &str = "doc_number_chars";
    pub const FINGERPRINT: &str = "fingerprint";
}

/// `kind` of a reply document.
pub const KIND_REPLY: &str = "reply";
/// `kind` of a commitment document.
pub const KIND_COMMITMENT: &str = "commitment";

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct ReplySchema {
    pub schema: Schema,
    /// Stable reply id (exact, stored, fast: ties in any sort order are broken by it).
    pub id: Field,
    /// The reply title, jieba words with positions.
    pub title: Field,
    /// The whole reply text, jieba words with positions; stored (it is the reply). Replies
    /// only.
    pub text: Field,
    /// The whole reply text as character bigrams with positions, for exact substrings
    /// ([`crate::analysis::BigramTokenizer`]). Replies only.
    pub text_bigrams: Field,
    /// A commitment's text, analysed like `text` (not stored: its record in `fields` holds
    /// it). Commitments have their own text fields so that a reply search walks postings of
    /// replies only (and a commitment search of commitments only): in one field, a word's
    /// postings held the 1–4 × as many commitments that repeat a reply's sentences, every one
    /// of them visited and dropped by the kind filter; and BM25's statistics (document
    /// frequencies, average length) mixed whole replies with single sentences.
    pub commitment_text: Field,
    /// A commitment's text as character bigrams, like `text_bigrams`.
    pub commitment_bigrams: Field,
    /// Canonical 文号 (exact).
    pub doc_number: Field,
    /// Every extracted field as JSON (stored only).
    pub fields: Field,
    /// Facet dimensions: exact strings in fast columns only. Filters, facet counts and the
    /// analytics read the columns; no query looks them up as terms, and their postings (a
    /// reply's values again on each of its ~30 commitments) were 2.5% of indexing's
    /// instructions and 3% of the index.
    pub province: Field,
    pub city: Field,
    pub county: Field,
    pub department: Field,
    pub assembly: Field,
    pub level: Field,
    /// Multi-valued topic slugs.
    pub topic: Field,
    /// `reply`, `co_handling` or `assisting`.
    pub reply_kind: Field,
    /// Handling class A–D.
    pub result_class: Field,
    /// The proposal number without leading zeros (0487 -> 487), see [`proposal_number_key`].
    pub proposal_number: Field,
    /// The session as `term-meeting` (12-3), see [`dafu_extract::reply::Session::key`].
    pub session: Field,
    /// [`KIND_REPLY`] or [`KIND_COMMITMENT`].
    pub kind: Field,
    /// A commitment's reply id.
    pub parent: Field,
    /// A commitment's strength (`firm`, `tentative`).
    pub strength: Field,
    /// Whether a commitment states a quantity (`true`, `false`).
    pub has_quantity: Field,
    /// How many commitments a reply makes (0 on commitment documents).
    pub commitment_count: Field,
    /// Year (0 when unknown), in a fast column only, like the facets.
    pub year: Field,
    /// Signing date as YYYYMMDD (0 when unknown), for sorting.
    pub date: Field,
    /// The reply title, one token per character (`title:"…"`, and words jieba cut otherwise).
    pub title_chars: Field,
    /// The title of the proposal answered (《关于…的建议》), jieba words, for ranking.
    pub proposal_title: Field,
    /// The issuing department, one token per character: `department:民政厅` finds
    /// 吉林省民政厅.
    pub department_chars: Field,
    /// The proposer answered, one token per character (`proposer:`).
    pub proposer_chars: Field,
    /// The canonical 文号, one token per character (`doc:` with part of a number).
    pub doc_number_chars: Field,
    /// The fingerprint of a reply's text (replies only): the same reply arriving again under
    /// another name is found by it and indexed once.
    pub fingerprint: Field,
}

fn analyzed(tokenizer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { opts.set_stored() } else { opts }
}

impl ReplySchema {
    /// Builds the schema.
    pub fn build() -> Self {
        use names::*;
        let mut b = Schema::builder();
        // Fast columns only (see `province`).
        let facet = FAST;
        // FAST: the tie-break of every sort order and of cursor paging.
        let id = b.add_text_field(ID, STRING | STORED | FAST);
        let title = b.add_text_field(TITLE, analyzed(WORDS, false));
        let text = b.add_text_field(TEXT, analyzed(WORDS, true));
        let text_bigrams = b.add_text_field(TEXT_BIGRAMS, analyzed(BIGRAMS, false));
        let commitment_text = b.add_text_field(COMMITMENT_TEXT, analyzed(WORDS, false));
        let commitment_bigrams = b.add_text_field(COMMITMENT_BIGRAMS, analyzed(BIGRAMS, false));
        let doc_number = b.add_text_field(DOC_NUMBER, STRING);
        let fields = b.add_text_field(FIELDS, STORED);
        let province = b.add_text_field(PROVINCE, facet.clone());
        let city = b.add_text_field(CITY, facet.clone());
        let county = b.add_text_field(COUNTY, facet.clone());
        let department = b.add_text_field(DEPARTMENT, facet.clone());
        let assembly = b.add_text_field(ASSEMBLY, facet.clone());
        let level = b.add_text_field(LEVEL, facet.clone());
        let topic = b.add_text_field(TOPIC, facet.clone());
        let reply_kind = b.add_text_field(REPLY_KIND, facet.clone());
        let result_class = b.add_text_field(RESULT_CLASS, facet.clone());
        let proposal_number = b.add_text_field(PROPOSAL_NUMBER, facet.clone());
        let session = b.add_text_field(SESSION, facet.clone());
        let kind = b.add_text_field(KIND, STRING);
        let parent = b.add_text_field(PARENT, STRING | STORED);
        let strength = b.add_text_field(STRENGTH, facet.clone());
        let has_quantity = b.add_text_field(HAS_QUANTITY, facet);
        let commitment_count = b.add_u64_field(COMMITMENT_COUNT, FAST);
        let year = b.add_u64_field(YEAR, FAST);
        let date = b.add_u64_field(DATE, FAST);
        let title_chars = b.add_text_field(TITLE_CHARS, analyzed(CHARS, false));
        let proposal_title = b.add_text_field(PROPOSAL_TITLE, analyzed(WORDS, false));
        let department_chars = b.add_text_field(DEPARTMENT_CHARS, analyzed(CHARS, false));
        let proposer_chars = b.add_text_field(PROPOSER_CHARS, analyzed(CHARS, false));
        let doc_number_chars = b.add_text_field(DOC_NUMBER_CHARS, analyzed(CHARS, false));
        let fingerprint = b.add_text_field(FINGERPRINT, STRING);
        ReplySchema {
            schema: b.build(),
            id,
            title,
            text,
            text_bigrams,
            commitment_text,
            commitment_bigrams,
            doc_number,
            fields,
            province,
            city,
            county,
            department,
            assembly,
            level,
            topic,
            reply_kind,
            result_class,
            proposal_number,
            session,
            kind,
            parent,
            strength,
            has_quantity,
            commitment_count,
            year,
            date,
            title_chars,
            proposal_title,
            department_chars,
            proposer_chars,
            doc_number_chars,
            fingerprint,
        }
    }
}

/// How a proposal number is indexed and filtered: without leading zeros, so `487` finds the
/// reply to proposal `0487`.
///
/// ```
/// use dafu_index::schema::proposal_number_key;
/// assert_eq!(proposal_number_key(" 0487 "), "487");
/// assert_eq!(proposal_number_key("000"), "0");
/// ```
pub fn proposal_number_key(number: &str) -> String {
    let trimmed = number.trim().trim_start_matches('0');
    if trimmed.is_empty() && !number.trim().is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}
