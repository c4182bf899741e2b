//! The search engine: a reader over a reply index that answers [`SearchRequest`]s.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use tantivy::collector::{Collector, Count, DocSetCollector, TopDocs};
use tantivy::query::{ConstScoreQuery, EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexReader, Searcher, Term};

use dafu_extract::Extractor;
use dafu_extract::commitments::Commitment;
use dafu_index::schema::{KIND_COMMITMENT, KIND_REPLY};
use dafu_index::{ReplyIndex, StoredCommitment, StoredFields};

use crate::collector::{COMMITMENT_FACETS, FACETS, Gathered, SearchCollector};
use crate::cursor;
use crate::error::QueryError;
use crate::facet_codes::FacetCodes;
use crate::facet_values::{facet_values, gathered_years};
use crate::highlight::Highlighter;
use crate::hit_record::HitRecord;
use crate::plan::{Plan, Planner};
use crate::prefix_docs::PrefixCache;
use crate::proximity::ProximityBonus;
use crate::query_text::ParsedQuery;
use crate::request::{SearchParams, SearchRequest, Target};
use crate::response::{CommitmentHit, CommitmentResponse, Hit, ReplyRecord, SearchResponse};
use crate::statistics::KindStatistics;
use crate::stored_values::{DocStore, StoredValues};

/// Searches one reply index.
pub struct SearchEngine {
    index: ReplyIndex,
    reader: IndexReader,
    extractor: Extractor,
    /// The facet dictionaries and the coded facets of the segments searched.
    codes: FacetCodes,
    /// The stored documents of the segments searched.
    store: DocStore,
    /// One-character words' bigrams in the segments searched, most recently used.
    prefixes: Arc<PrefixCache>,
}

impl SearchEngine {
    /// An engine over `index`; `extractor` supplies the region table and topic taxonomy that
    /// requests are validated against.
    pub fn new(index: ReplyIndex, extractor: Extractor) -> Result<Self, QueryError> {
        let reader = index.reader()?;
        Ok(SearchEngine {
            index,
            reader,
            codes: FacetCodes::new(extractor.regions()),
            store: DocStore::default(),
            prefixes: Arc::default(),
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

    /// The `kind` term of the documents of `target`.
    fn kind_term(&self, target: Target) -> Term {
        let kind = match target {
            Target::Replies => KIND_REPLY,
            Target::Commitments => KIND_COMMITMENT,
        };
        Term::from_field_text(self.index.schema().kind, kind)
    }

    /// Matches the documents of one kind, adding nothing to their score.
    fn kind_query(&self, target: Target) -> ConstScoreQuery {
        ConstScoreQuery::new(
            Box::new(TermQuery::new(
                self.kind_term(target),
                IndexRecordOption::Basic,
            )),
            0.0,
        )
    }

    /// BM25's statistics over the documents of `target` ([`crate::statistics`]).
    fn statistics<'s>(
        &self,
        searcher: &'s Searcher,
        target: Target,
    ) -> Result<KindStatistics<'s>, QueryError> {
        Ok(KindStatistics::new(searcher, &self.kind_term(target))?)
    }

    /// Runs `query` (over the documents of `target`) through `collector`, scored with the
    /// statistics of that kind.
    fn run<C: Collector>(
        &self,
        searcher: &Searcher,
        target: Target,
        query: &dyn Query,
        collector: &C,
    ) -> Result<C::Fruit, QueryError> {
        let statistics = self.statistics(searcher, target)?;
        Ok(searcher.search_with_statistics_provider(query, collector, &statistics)?)
    }

    /// Codes the facets of every segment searched now, on all cores (see
    /// [`crate::facet_codes`]): otherwise the first search pays for it.
    pub fn warm(&self) -> Result<(), QueryError> {
        let searcher = self.reader.searcher();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(self.codes.warm(searcher.segment_readers(), threads)?)
    }

    /// A view of the commit searches see now.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Picks up the latest commit now rather than after the reader's reload delay.
    pub fn refresh(&self) -> Result<(), QueryError> {
        Ok(self.reader.reload()?)
    }

    /// The tantivy query for a request and the strings its highlights mark (see [`Planner`]).
    fn build_query(&self, request: &SearchRequest) -> Plan {
        self.plan(request.target, &request.query)
    }

    /// The tantivy query of a parsed query over the documents of `target`.
    fn plan(&self, target: Target, query: &ParsedQuery) -> Plan {
        self.planner(target).plan(&query.root)
    }

    /// A planner of queries over the documents of `target`.
    fn planner(&self, target: Target) -> Planner<'_> {
        Planner::new(
            self.index.schema(),
            self.index.analysis(),
            target,
            Box::new(self.kind_query(target)),
        )
        .with_prefixes(self.prefixes.clone())
    }

    /// Runs a validated request's query through `collector` (the analytics of
    /// [`crate::stats`] bring their own).
    pub(crate) fn collect<C: Collector>(
        &self,
        request: &SearchRequest,
        collector: &C,
    ) -> Result<C::Fruit, QueryError> {
        let plan = self.build_query(request);
        let searcher = self.reader.searcher();
        self.run(&searcher, request.target, &*plan.query, collector)
    }

    /// Runs a validated request: the matching documents of its target, counted and faceted.
    fn gather(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        facets: &'static [&'static str],
    ) -> Result<(Gathered, Highlighter, Box<dyn Query>), QueryError> {
        // The proximity bonus is added to the hits that can make the page only
        // ([`crate::proximity`]): by relevance, those that can score high enough with it; by
        // date, those dated at least as late as the page's last (it decides between hits of
        // one date); after a cursor, those it may bring before the cursor too, to be told
        // apart. An explanation is of the whole query: it keeps the bonus in the query.
        let defer = !request.explain && request.offset + request.limit > 0;
        let planner = self.planner(request.target);
        let Plan {
            query,
            needles,
            proximity,
        } = if defer {
            planner.plan_deferring_proximity(&request.query.root)
        } else {
            planner.plan(&request.query.root)
        };
        let scoring = !needles.is_empty();
        let live = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.codes.retain(&live);
        self.store.retain(&live);
        self.prefixes.retain(&live);
        let mut collector = SearchCollector::new(request, &self.codes, scoring, facets);
        // One set of statistics for the query and its deferred bonus: their scores add up.
        let statistics = self.statistics(searcher, request.target)?;
        if let Some(proximity) = &proximity {
            collector =
                collector.with_proximity(ProximityBonus::new(searcher, &statistics, proximity)?);
        }
        let gathered =
            searcher.search_with_statistics_provider(&*query, &collector, &statistics)?;
        let highlighter = if request.highlight {
            Highlighter::new(&needles)
        } else {
            Highlighter::off()
        };
        Ok((gathered, highlighter, query))
    }

    /// With `explain`, how the query scored the document at `addr`, as a tree of `value`,
    /// `description` and `details`.
    fn explanation(
        &self,
        request: &SearchRequest,
        query: &dyn Query,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<Option<serde_json::Value>, QueryError> {
        if !request.explain {
            return Ok(None);
        }
        let statistics = self.statistics(searcher, request.target)?;
        let explanation = query
            .weight(EnableScoring::enabled_from_statistics_provider(
                &statistics,
                searcher,
            ))?
            .explain(searcher.segment_reader(addr.segment_ord), addr.doc_id)?;
        serde_json::to_value(&explanation)
            .map(Some)
            .map_err(|e| QueryError::Corrupt(format!("explanation: {e}")))
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
        let (gathered, highlighter, query) = self.gather(&searcher, request, FACETS)?;
        let hits = gathered
            .top
            .iter()
            .skip(request.offset)
            .map(|&(addr, score)| {
                let mut hit = self.hit(&searcher, addr, score, &highlighter)?;
                hit.explanation = self.explanation(request, &*query, &searcher, addr)?;
                Ok(hit)
            })
            .collect::<Result<Vec<_>, QueryError>>()?;
        let shown = (request.offset + hits.len()) as u64;
        // The last hit of `top` is the page's last (the cursor's id is the hit's own).
        let next_cursor = match (gathered.last, hits.last()) {
            (Some(last), Some(hit)) if gathered.remaining > shown => {
                Some(cursor::encode(request, &last.position(hit.id.clone())))
            }
            _ => None,
        };
        Ok(SearchResponse {
            total: gathered.total,
            offset: request.offset,
            limit: request.limit,
            next_cursor,
            hits,
            facets: if request.facets {
                facet_values(&gathered, FACETS)
            } else {
                BTreeMap::new()
            },
            year_histogram: gathered_years(&gathered),
            region_tree: gathered.region_tree,
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
        let (gathered, highlighter, query) = self.gather(&searcher, request, COMMITMENT_FACETS)?;
        let hits = gathered
            .top
            .iter()
            .skip(request.offset)
            .map(|&(addr, score)| {
                let mut hit = self.commitment_hit(&searcher, addr, score, &highlighter)?;
                hit.explanation = self.explanation(request, &*query, &searcher, addr)?;
                Ok(hit)
            })
            .collect::<Result<Vec<_>, QueryError>>()?;
        Ok(CommitmentResponse {
            total: gathered.total,
            offset: request.offset,
            limit: request.limit,
            hits,
            facets: if request.facets {
                facet_values(&gathered, COMMITMENT_FACETS)
            } else {
                BTreeMap::new()
            },
            year_histogram: gathered_years(&gathered),
            region_tree: gathered.region_tree,
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
        let doc = self.store.values(searcher, addr)?;
        let stored = doc.str(self.index.schema().fields)?.unwrap_or_default();
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
            explanation: None,
        })
    }

    /// The reply at `addr`: its id, its stored values (its text among them) and its stored
    /// record as `R` (the whole [`StoredFields`], or the [`HitRecord`] of a hit).
    fn load<R: serde::de::DeserializeOwned>(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<(String, StoredValues, R), QueryError> {
        let s = self.index.schema();
        let doc = self.store.values(searcher, addr)?;
        let id = doc
            .str(s.id)?
            .ok_or_else(|| QueryError::Corrupt("reply without id".into()))?
            .to_string();
        let stored: R = serde_json::from_str(doc.str(s.fields)?.unwrap_or_default())
            .map_err(|e| QueryError::Corrupt(format!("reply {id}: {e}")))?;
        Ok((id, doc, stored))
    }

    /// A reply's text, from its stored values.
    fn text<'d>(&self, doc: &'d StoredValues) -> Result<&'d str, QueryError> {
        Ok(doc.str(self.index.schema().text)?.unwrap_or_default())
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        highlighter: &Highlighter,
    ) -> Result<Hit, QueryError> {
        let (id, doc, record) = self.load::<HitRecord>(searcher, addr)?;
        let fragments = highlighter.fragments(self.text(&doc)?);
        Ok(record.into_hit(id, score, fragments))
    }

    /// Every hit of a validated reply search in the request's order (its paging ignored),
    /// with the page it was published at, `batch` at a time from one view of the index; stops
    /// at the first error of `each`. Memory does not grow with the number of hits.
    pub fn for_each_hit<E: From<QueryError>>(
        &self,
        request: &SearchRequest,
        batch: usize,
        mut each: impl FnMut(Hit, Option<String>) -> Result<(), E>,
    ) -> Result<u64, E> {
        let searcher = self.reader.searcher();
        let plan = self.build_query(request);
        let (query, scoring) = (plan.query, !plan.needles.is_empty());
        let mut page = SearchRequest {
            target: Target::Replies,
            limit: batch.max(1),
            offset: 0,
            cursor: None,
            ..request.clone()
        };
        let mut sent = 0;
        loop {
            let gathered = self.run(
                &searcher,
                Target::Replies,
                &*query,
                &SearchCollector::new(&page, &self.codes, scoring, &[]),
            )?;
            let mut last_id = None;
            for (i, &(addr, score)) in gathered.top.iter().enumerate() {
                let (id, _, record) = self.load::<HitRecord>(&searcher, addr)?;
                let source_url = record.source_url();
                if i + 1 == gathered.top.len() {
                    last_id = Some(id.clone());
                }
                each(record.into_hit(id, score, Vec::new()), source_url)?;
                sent += 1;
            }
            match (gathered.last, last_id) {
                (Some(last), Some(id)) if gathered.remaining > gathered.top.len() as u64 => {
                    page.cursor = Some(last.position(id));
                }
                _ => return Ok(sent),
            }
        }
    }

    /// Every hit of a validated commitment search in the request's order (its paging
    /// ignored), from one view of the index; stops at the first error of `each`. The order of
    /// all hits is computed in one pass over the index (commitments have no cursor); then
    /// each is loaded and handed over in turn.
    pub fn for_each_commitment<E: From<QueryError>>(
        &self,
        request: &SearchRequest,
        mut each: impl FnMut(CommitmentHit) -> Result<(), E>,
    ) -> Result<u64, E> {
        let searcher = self.reader.searcher();
        let plan = self.plan(Target::Commitments, &request.query);
        let scoring = !plan.needles.is_empty();
        // Every hit is kept: no search has more hits than the index has documents (the heap
        // grows with the hits, not with this bound).
        let all = SearchRequest {
            target: Target::Commitments,
            limit: usize::try_from(searcher.num_docs())
                .unwrap_or(usize::MAX / 2)
                .max(1),
            offset: 0,
            cursor: None,
            ..request.clone()
        };
        let gathered = self.run(
            &searcher,
            Target::Commitments,
            &*plan.query,
            &SearchCollector::new(&all, &self.codes, scoring, &[]),
        )?;
        let none = Highlighter::new(Vec::<String>::new());
        let mut sent = 0;
        for &(addr, score) in &gathered.top {
            each(self.commitment_hit(&searcher, addr, score, &none)?)?;
            sent += 1;
        }
        Ok(sent)
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
        let (id, doc, stored) = self.load::<StoredFields>(&searcher, *addr)?;
        let text = self.text(&doc)?.to_string();
        let sources = stored.copies();
        let mut fields = stored.fields;
        if let Some(count) = stored.commitment_count {
            fields.commitments = self.commitments_of(&searcher, &id, count)?;
        }
        Ok(ReplyRecord {
            id,
            text,
            sources,
            fingerprint: stored.fingerprint,
            fields,
            origin: stored.origin,
            marks: None,
        })
    }

    /// The `count` commitments of the reply `id`, in the reply's order, from their documents
    /// (a reply's record does not repeat them).
    fn commitments_of(
        &self,
        searcher: &Searcher,
        id: &str,
        count: usize,
    ) -> Result<Vec<Commitment>, QueryError> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let s = self.index.schema();
        let term = Term::from_field_text(s.parent, id);
        let addrs = searcher.search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &DocSetCollector,
        )?;
        let mut found = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc = self.store.values(searcher, addr)?;
            let json = doc.str(s.fields)?.unwrap_or_default();
            let stored: StoredCommitment = serde_json::from_str(json)
                .map_err(|e| QueryError::Corrupt(format!("commitment of {id}: {e}")))?;
            found.push((stored.number, stored.commitment));
        }
        found.sort_by_key(|(number, _)| *number);
        if found.len() != count || found.iter().enumerate().any(|(i, (n, _))| i != *n) {
            return Err(QueryError::Corrupt(format!(
                "reply {id} makes {count} commitments; the index holds {} of them",
                found.len()
            )));
        }
        Ok(found.into_iter().map(|(_, c)| c).collect())
    }

    /// The whole reply with this id, with every place its text matches `query` marked (what
    /// the search's highlights mark, over the whole text): the reading view of a hit.
    pub fn reply_marked(&self, id: &str, query: &ParsedQuery) -> Result<ReplyRecord, QueryError> {
        let mut record = self.reply(id)?;
        let plan = self.plan(Target::Replies, query);
        record.marks = Some(Highlighter::new(&plan.needles).marks(&record.text));
        Ok(record)
    }
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
