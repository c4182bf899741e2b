//! The search engine: a reader over a reply index that answers [`SearchRequest`]s.

use std::collections::BTreeMap;
use std::time::Instant;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument, Term};

use dafu_extract::Extractor;
use dafu_index::schema::{KIND_COMMITMENT, KIND_REPLY};
use dafu_index::{ReplyIndex, StoredCommitment, StoredFields};

use crate::collector::{COMMITMENT_FACETS, FACETS, Gathered, SearchCollector};
use crate::error::QueryError;
use crate::highlight::Highlighter;
use crate::query_text::Clause;
use crate::request::{SearchParams, SearchRequest, Target};
use crate::response::{
    CommitmentHit, CommitmentResponse, FacetValue, Hit, HitRegion, ReplyRecord, SearchResponse,
};
use crate::shaped_facets::{region_tree, year_histogram};

/// Weight of a word found in the title relative to the body.
const TITLE_BOOST: f32 = 3.0;
/// Weight of the exact-substring (character) match that backs up each word.
const CHARS_BOOST: f32 = 0.3;
/// Weight of an exact 文号 match.
const DOC_NUMBER_BOOST: f32 = 10.0;
/// Most values returned per facet (years are always complete).
const FACET_VALUES: usize = 100;

/// Searches one reply index.
pub struct SearchEngine {
    index: ReplyIndex,
    reader: IndexReader,
    extractor: Extractor,
}

impl SearchEngine {
    /// An engine over `index`; `extractor` supplies the region table and topic taxonomy that
    /// requests are validated against.
    pub fn new(index: ReplyIndex, extractor: Extractor) -> Result<Self, QueryError> {
        let reader = index.reader()?;
        Ok(SearchEngine {
            index,
            reader,
            extractor,
        })
    }

    pub fn index(&self) -> &ReplyIndex {
        &self.index
    }

    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// Number of replies in the index (commitment documents not counted).
    pub fn num_replies(&self) -> u64 {
        let searcher = self.reader.searcher();
        searcher
            .search(&self.kind_query(Target::Replies), &Count)
            .map_or(0, |n| n as u64)
    }

    /// Validates raw parameters of a reply search against this engine's tables.
    pub fn validate(&self, params: &SearchParams) -> Result<SearchRequest, QueryError> {
        self.validate_for(Target::Replies, params)
    }

    /// Validates raw parameters of a search for `target`.
    pub fn validate_for(
        &self,
        target: Target,
        params: &SearchParams,
    ) -> Result<SearchRequest, QueryError> {
        params.validate_for(
            target,
            self.extractor.regions(),
            self.extractor.topic_rules(),
        )
    }

    /// Matches the documents of one kind, adding nothing to their score.
    fn kind_query(&self, target: Target) -> ConstScoreQuery {
        let kind = match target {
            Target::Replies => KIND_REPLY,
            Target::Commitments => KIND_COMMITMENT,
        };
        let term = Term::from_field_text(self.index.schema().kind, kind);
        ConstScoreQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            0.0,
        )
    }

    /// Picks up the latest commit now rather than after the reader's reload delay.
    pub fn refresh(&self) -> Result<(), QueryError> {
        Ok(self.reader.reload()?)
    }

    fn phrase_on_chars(&self, text: &str) -> Option<Box<dyn Query>> {
        let field = self.index.schema().text_chars;
        let terms: Vec<Term> = self
            .index
            .analysis()
            .chars(text)
            .into_iter()
            .map(|t| Term::from_field_text(field, &t.text))
            .collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    /// The tantivy query for a request and the strings its highlights mark.
    fn build_query(&self, request: &SearchRequest) -> (Box<dyn Query>, Vec<String>) {
        let s = self.index.schema();
        let mut must: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(self.kind_query(request.target)))];
        let mut needles = Vec::new();
        for clause in &request.query.clauses {
            match clause {
                Clause::Words(text) => {
                    for word in self.index.analysis().words(text) {
                        let term = |field| Term::from_field_text(field, &word.text);
                        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![
                            (
                                Occur::Should,
                                Box::new(BoostQuery::new(
                                    Box::new(TermQuery::new(
                                        term(s.title),
                                        IndexRecordOption::WithFreqs,
                                    )),
                                    TITLE_BOOST,
                                )),
                            ),
                            (
                                Occur::Should,
                                Box::new(TermQuery::new(
                                    term(s.text),
                                    IndexRecordOption::WithFreqs,
                                )),
                            ),
                        ];
                        // Jieba may cut the reply differently from the query: the characters
                        // in a row always match.
                        if let Some(q) = self.phrase_on_chars(&word.text) {
                            should.push((Occur::Should, Box::new(BoostQuery::new(q, CHARS_BOOST))));
                        }
                        must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
                        needles.push(word.text);
                    }
                }
                Clause::Phrase(text) => {
                    if let Some(q) = self.phrase_on_chars(text) {
                        must.push((Occur::Must, q));
                        needles.push(text.clone());
                    }
                }
                Clause::DocNumber(number) => {
                    let exact = TermQuery::new(
                        Term::from_field_text(s.doc_number, number),
                        IndexRecordOption::Basic,
                    );
                    let mut should: Vec<(Occur, Box<dyn Query>)> = vec![(
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(exact), DOC_NUMBER_BOOST)),
                    )];
                    if let Some(q) = self.phrase_on_chars(number) {
                        should.push((Occur::Should, q));
                    }
                    must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
                    needles.push(number.clone());
                }
            }
        }
        (Box::new(BooleanQuery::new(must)), needles)
    }

    /// Runs a validated request's query through `collector` (the analytics of
    /// [`crate::stats`] bring their own).
    pub(crate) fn collect<C: Collector>(
        &self,
        request: &SearchRequest,
        collector: &C,
    ) -> Result<C::Fruit, QueryError> {
        let (query, _) = self.build_query(request);
        Ok(self.reader.searcher().search(&*query, collector)?)
    }

    /// Runs a validated request: the matching documents of its target, counted and faceted.
    fn gather(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        facets: &'static [&'static str],
    ) -> Result<(Gathered, Highlighter), QueryError> {
        let (query, needles) = self.build_query(request);
        let scoring = !needles.is_empty();
        let gathered = searcher.search(&*query, &SearchCollector::new(request, scoring, facets))?;
        Ok((gathered, Highlighter::new(&needles)))
    }

    /// Runs a validated reply search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, QueryError> {
        if request.target != Target::Replies {
            return Err(QueryError::invalid(
                "target",
                "a commitment request goes to search_commitments",
            ));
        }
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let (gathered, highlighter) = self.gather(&searcher, request, FACETS)?;
        let hits = gathered
            .top
            .iter()
            .skip(request.offset)
            .map(|&(addr, score)| self.hit(&searcher, addr, score, &highlighter))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResponse {
            total: gathered.total,
            offset: request.offset,
            limit: request.limit,
            hits,
            facets: facet_values(&gathered, FACETS),
            region_tree: region_tree(&gathered.regions, self.extractor.regions()),
            year_histogram: gathered
                .facets
                .get("year")
                .map(year_histogram)
                .unwrap_or_default(),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Runs a validated commitment search (`/api/commitments`): commitments with their
    /// reply's fields, highlights and facet counts.
    pub fn search_commitments(
        &self,
        request: &SearchRequest,
    ) -> Result<CommitmentResponse, QueryError> {
        if request.target != Target::Commitments {
            return Err(QueryError::invalid(
                "target",
                "a reply request goes to search",
            ));
        }
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let (gathered, highlighter) = self.gather(&searcher, request, COMMITMENT_FACETS)?;
        let hits = gathered
            .top
            .iter()
            .skip(request.offset)
            .map(|&(addr, score)| self.commitment_hit(&searcher, addr, score, &highlighter))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CommitmentResponse {
            total: gathered.total,
            offset: request.offset,
            limit: request.limit,
            hits,
            facets: facet_values(&gathered, COMMITMENT_FACETS),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    fn commitment_hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        highlighter: &Highlighter,
    ) -> Result<CommitmentHit, QueryError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let stored = doc
            .get_first(self.index.schema().fields)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let stored: StoredCommitment = serde_json::from_str(stored)
            .map_err(|e| QueryError::Corrupt(format!("commitment record: {e}")))?;
        let c = stored.commitment;
        let reply_id = stored.reply.id.clone();
        Ok(CommitmentHit {
            id: format!("{reply_id}#{}", stored.number),
            reply_url: format!("/api/replies/{}", url_path_segment(&reply_id)),
            reply_id,
            number: stored.number,
            highlights: highlighter
                .fragments(&c.text)
                .into_iter()
                .map(|f| f.shifted(c.start))
                .collect(),
            commitment: c,
            reply: stored.reply,
            score,
        })
    }

    fn load(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<(String, String, StoredFields), QueryError> {
        let s = self.index.schema();
        let doc: TantivyDocument = searcher.doc(addr)?;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let id = text_of(s.id).ok_or_else(|| QueryError::Corrupt("reply without id".into()))?;
        let text = text_of(s.text).unwrap_or_default();
        let stored: StoredFields = serde_json::from_str(&text_of(s.fields).unwrap_or_default())
            .map_err(|e| QueryError::Corrupt(format!("reply {id}: {e}")))?;
        Ok((id, text, stored))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        highlighter: &Highlighter,
    ) -> Result<Hit, QueryError> {
        let (id, text, stored) = self.load(searcher, addr)?;
        let f = stored.fields;
        Ok(Hit {
            id,
            highlights: highlighter.fragments(&text),
            title: f.title,
            doc_number: f.doc_number,
            department: f.department,
            region: HitRegion {
                province: f.region.province,
                city: f.region.city,
                county: f.region.county,
            },
            year: f.year,
            date: f.date,
            assembly: f.assembly.map(|a| a.as_str().to_string()),
            level: f.level.map(|l| l.as_str().to_string()),
            topics: f.topics,
            proposal_title: f.proposal_title,
            proposal_number: f.proposal_number,
            proposer: f.proposer,
            reply_kind: f.reply_kind.map(|k| k.as_str().to_string()),
            result_class: f.result_class,
            commitment_count: f.commitments.len(),
            score,
        })
    }

    /// The whole reply with this id.
    pub fn reply(&self, id: &str) -> Result<ReplyRecord, QueryError> {
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.index.schema().id, id);
        let top = searcher.search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let (_, addr) = top
            .first()
            .ok_or_else(|| QueryError::NotFound(id.to_string()))?;
        let (id, text, stored) = self.load(&searcher, *addr)?;
        Ok(ReplyRecord {
            id,
            text,
            fields: stored.fields,
            origin: stored.origin,
        })
    }
}

/// The facet counts of `names` as the API shows them: most frequent first (years newest
/// first, all of them), at most [`FACET_VALUES`] values each.
fn facet_values(gathered: &Gathered, names: &[&str]) -> BTreeMap<String, Vec<FacetValue>> {
    let mut facets = BTreeMap::new();
    for &name in names {
        let mut values: Vec<FacetValue> = gathered
            .facets
            .get(name)
            .map(|m| {
                m.iter()
                    .map(|(v, &n)| FacetValue {
                        value: v.clone(),
                        count: n,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if name == "year" {
            values.sort_by(|a, b| b.value.cmp(&a.value));
        } else {
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values.truncate(FACET_VALUES);
        }
        facets.insert(name.to_string(), values);
    }
    facets
}

/// Characters a path segment may carry as they are (RFC 3986 unreserved).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `id` as one percent-encoded path segment.
fn url_path_segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, PATH_SEGMENT).to_string()
}
