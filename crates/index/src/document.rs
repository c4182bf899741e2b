//! One reply as the index stores it, and the commitment documents it brings along.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use crate::schema::{KIND_COMMITMENT, KIND_REPLY, ReplySchema, proposal_number_key};
use dafu_extract::commitments::Commitment;
use dafu_extract::date::Date;
use dafu_extract::{RegionFields, ReplyFields};

/// Where a reply came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplySource {
    /// The file it was read from, as given on the command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Line number for JSON Lines input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The page it was published at, when the input says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Free-form origin label (`synthetic` for the generated sample corpus).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The encoding the bytes were read as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The file's format: `txt`, `jsonl`, `html`, `docx`, `pdf`, or `api` for a reply sent to
    /// the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The publish date (发布时间) the page gives, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The title the page gives the article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl ReplySource {
    /// Whether `self` and `other` are the same copy (the same file and line, page, or record
    /// sent to the server): a copy read again is listed once.
    pub fn same_copy(&self, other: &ReplySource) -> bool {
        self.path == other.path
            && self.line == other.line
            && self.source_url == other.source_url
            && self.source == other.source
            && self.format == other.format
    }
}

/// The stored record of a reply: everything but its text and its commitments.
///
/// The commitments are stored once, on their own documents ([`StoredCommitment`], each with
/// its number in the reply): `fields.commitments` is empty and `commitment_count` says how
/// many there are. Stored here as well, they made a reply's record about twice its text, read
/// (and its UTF-8 checked) for every hit of a search. Records of earlier versions hold the
/// commitments and no count; both kinds read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredFields {
    #[serde(flatten)]
    pub fields: ReplyFields,
    /// How many commitments the reply makes (they are on the commitment documents); absent
    /// in records of earlier versions, whose `fields.commitments` holds them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_count: Option<usize>,
    /// The copy whose text is indexed.
    pub origin: ReplySource,
    /// The fingerprint of the reply's text ([`dafu_extract::fingerprint`]); records of
    /// earlier versions have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Every copy of the reply that was read (the same text as a page, a PDF, a re-crawl), in
    /// the order read; records of earlier versions have none (their `origin` is the one).
    #[serde(default)]
    pub sources: Vec<ReplySource>,
}

impl StoredFields {
    /// The reply's copies: `sources`, or the `origin` of a record without them.
    pub fn copies(&self) -> Vec<ReplySource> {
        if self.sources.is_empty() {
            vec![self.origin.clone()]
        } else {
            self.sources.clone()
        }
    }
}

/// A reply ready to be indexed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyDocument {
    /// Stable id: indexing a reply with the same id replaces the earlier one.
    pub id: String,
    pub text: String,
    pub fields: ReplyFields,
    /// The copy whose text this is.
    pub origin: ReplySource,
    /// [`dafu_extract::fingerprint::fingerprint`] of `text`.
    pub fingerprint: String,
    /// Every copy of the reply, `origin` among them.
    pub sources: Vec<ReplySource>,
}

/// The stored record of a commitment document: the commitment and what a reader needs of its
/// reply without loading it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredCommitment {
    /// Position of the commitment in its reply (0-based).
    pub number: usize,
    #[serde(flatten)]
    pub commitment: Commitment,
    pub reply: ReplySummary,
}

/// The parent reply of a commitment, as commitment search shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplySummary {
    pub id: String,
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub department: Option<String>,
    pub region: RegionFields,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub proposal_title: Option<String>,
}

impl ReplyDocument {
    /// The tantivy documents for this reply: the reply itself, then one per commitment.
    pub fn to_tantivy(&self, s: &ReplySchema) -> Vec<TantivyDocument> {
        let f = &self.fields;
        let mut docs = Vec::with_capacity(1 + f.commitments.len());
        let mut doc = TantivyDocument::default();
        doc.add_text(s.kind, KIND_REPLY);
        doc.add_text(s.id, &self.id);
        if let Some(t) = &f.title {
            doc.add_text(s.title, t);
            doc.add_text(s.title_chars, t);
        }
        doc.add_text(s.text, &self.text);
        doc.add_text(s.text_bigrams, &self.text);
        if let Some(n) = &f.doc_number {
            doc.add_text(s.doc_number, n);
            doc.add_text(s.doc_number_chars, n);
        }
        // The fields of the query language's scopes and of ranking (replies only).
        for (field, value) in [
            (s.proposal_title, &f.proposal_title),
            (s.department_chars, &f.department),
            (s.proposer_chars, &f.proposer),
        ] {
            if let Some(v) = value {
                doc.add_text(field, v);
            }
        }
        doc.add_text(s.fingerprint, &self.fingerprint);
        let stored = StoredFields {
            fields: ReplyFields {
                commitments: Vec::new(),
                ..f.clone()
            },
            commitment_count: Some(f.commitments.len()),
            origin: self.origin.clone(),
            fingerprint: Some(self.fingerprint.clone()),
            sources: self.sources.clone(),
        };
        // Serialising plain data structs cannot fail.
        doc.add_text(s.fields, serde_json::to_string(&stored).unwrap_or_default());
        doc.add_u64(s.commitment_count, f.commitments.len() as u64);
        self.add_facets(&mut doc, s);
        docs.push(doc);

        let summary = ReplySummary {
            id: self.id.clone(),
            title: f.title.clone(),
            doc_number: f.doc_number.clone(),
            department: f.department.clone(),
            region: f.region.clone(),
            year: f.year,
            date: f.date.clone(),
            proposal_title: f.proposal_title.clone(),
        };
        for (number, c) in f.commitments.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(s.kind, KIND_COMMITMENT);
            doc.add_text(s.parent, &self.id);
            doc.add_text(s.commitment_text, &c.text);
            doc.add_text(s.commitment_bigrams, &c.text);
            let stored = StoredCommitment {
                number,
                commitment: c.clone(),
                reply: summary.clone(),
            };
            doc.add_text(s.fields, serde_json::to_string(&stored).unwrap_or_default());
            doc.add_text(s.strength, c.strength.as_str());
            doc.add_text(
                s.has_quantity,
                if c.quantities.is_empty() {
                    "false"
                } else {
                    "true"
                },
            );
            doc.add_u64(s.commitment_count, 0);
            self.add_facets(&mut doc, s);
            docs.push(doc);
        }
        docs
    }

    /// The reply's facet and sort fields, which its commitments share.
    fn add_facets(&self, doc: &mut TantivyDocument, s: &ReplySchema) {
        let f = &self.fields;
        let r = &f.region;
        for (field, value) in [
            (s.province, &r.province),
            (s.city, &r.city),
            (s.county, &r.county),
            (s.department, &f.department),
        ] {
            if let Some(v) = value {
                doc.add_text(field, v);
            }
        }
        if let Some(a) = f.assembly {
            doc.add_text(s.assembly, a.as_str());
        }
        if let Some(l) = f.level {
            doc.add_text(s.level, l.as_str());
        }
        for t in &f.topics {
            doc.add_text(s.topic, t);
        }
        if let Some(k) = f.reply_kind {
            doc.add_text(s.reply_kind, k.as_str());
        }
        if let Some(c) = &f.result_class {
            doc.add_text(s.result_class, c);
        }
        if let Some(n) = &f.proposal_number {
            doc.add_text(s.proposal_number, proposal_number_key(n));
        }
        if let Some(key) = f.session.as_ref().and_then(|s| s.key()) {
            doc.add_text(s.session, key);
        }
        doc.add_u64(
            s.year,
            f.year.and_then(|y| u64::try_from(y).ok()).unwrap_or(0),
        );
        let date = f
            .date
            .as_deref()
            .and_then(Date::parse_iso)
            .map(|d| d.key())
            .unwrap_or(0);
        doc.add_u64(s.date, date);
    }
}
