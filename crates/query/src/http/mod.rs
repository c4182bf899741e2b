//! The HTTP API (axum): `fn router(engine) -> Router`, thin handlers that validate, call the
//! engine on a blocking thread and map its result, and the search page at `/`.
//!
//! The OpenAPI 3 document (`GET /api/openapi.json`) is generated from this code: each API
//! handler carries a `#[utoipa::path]` and is registered through `utoipa_axum::routes!`, which
//! adds the route and its documentation together, so neither can exist without the other; the
//! request and response types derive their schemas.

mod error;
mod export;
mod layers;
mod page;
mod searchers;
mod stats;
mod writes;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::Router;
use axum::extract::Extension;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;
pub use layers::Cors;
pub use writes::AdminToken;

use dafu_index::ingest::LiveWriter;

use crate::engine::SearchEngine;
use crate::error::QueryError;
use crate::request::{SearchParams, Target};
use crate::response::{CommitmentResponse, ReplyRecord, SearchResponse};
use crate::response_json::{self, WithRegionTree};

/// Shared state of the handlers.
pub type AppState = Arc<SearchEngine>;

/// The OpenAPI document's fixed parts; paths and schemas come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "dafu",
        description = "Full-text search over Chinese government replies (答复) to NPC deputies' \
            suggestions and CPPCC members' proposals: faceted search, commitments, whole replies. \
            Every error is `{\"error\": {\"code\", \"message\"}}` with a 4xx status; no input \
            causes a 5xx."
    ),
    components(schemas(error::Body)),
    modifiers(&AdminTokenScheme)
)]
struct ApiDoc;

/// Declares the bearer token the write routes ask for.
struct AdminTokenScheme;

impl utoipa::Modify for AdminTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "admin_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "The server's DAFU_ADMIN_TOKEN; without one, writes are disabled",
                        ))
                        .build(),
                ),
            );
        }
    }
}

/// How a server treats its callers.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Live updates: the token writes must carry and the index's writer. `None` disables
    /// them (every write is refused with 403).
    pub writes: Option<(AdminToken, Arc<LiveWriter>)>,
    /// Cross-origin callers allowed (off by default).
    pub cors: Cors,
    /// Longest a read may take before it is answered 503.
    pub request_timeout: Duration,
    /// Most requests in flight at once; more are answered 503 at once.
    pub max_in_flight: usize,
    /// Largest write body, in bytes.
    pub max_body_bytes: usize,
    /// Longest the upload of a write body may take.
    pub body_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            writes: None,
            cors: Cors::Off,
            request_timeout: Duration::from_secs(30),
            max_in_flight: 256,
            max_body_bytes: 32 << 20,
            body_timeout: Duration::from_secs(60),
        }
    }
}

/// The write routes and their OpenAPI paths.
fn write_api() -> (Router<writes::WriteState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(writes::post_replies))
        .routes(routes!(writes::delete_reply))
        .split_for_parts()
}

/// The API's routes and its OpenAPI document, built together.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(search_get, search_post))
        .routes(routes!(commitments_get, commitments_post))
        .routes(routes!(export::export))
        .routes(routes!(export::export_commitments))
        .routes(routes!(stats::stats_get, stats::stats_post))
        .routes(routes!(reply))
        .routes(routes!(topics))
        .routes(routes!(health))
        .split_for_parts()
}

/// The OpenAPI 3 document of the API (what `GET /api/openapi.json` serves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api();
    doc.merge(write_api().1);
    doc
}

/// The whole application with the default [`ServerOptions`]: reads only.
pub fn router(engine: AppState) -> Router {
    router_with(engine, ServerOptions::default())
}

/// The whole application: API routes, their OpenAPI document, the search page and its
/// assets, JSON 404s; request ids and tracing, the in-flight bound, the time limit of reads,
/// CORS as configured.
pub fn router_with(engine: AppState, options: ServerOptions) -> Router {
    let (reads, _) = api();
    let doc = Arc::new(openapi());
    let reads = layers::time_limit(
        reads.merge(page::routes()).route(
            "/api/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        ),
        options.request_timeout,
    )
    .layer(Extension(WritesEnabled(options.writes.is_some())))
    .with_state(engine.clone());
    let writes = Arc::new(writes::Writes {
        engine,
        access: options.writes,
        max_body: options.max_body_bytes,
        body_timeout: options.body_timeout,
    });
    let (write_routes, _) = write_api();
    let write_routes = write_routes
        .route_layer(axum::middleware::from_fn_with_state(
            writes.clone(),
            writes::authorize,
        ))
        .with_state(writes);
    let app = reads.merge(write_routes).fallback(not_found);
    let app = layers::bound(app, options.max_in_flight);
    let app = match options.cors.layer() {
        Some(cors) => app.layer(cors),
        None => app,
    };
    layers::observe(app)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see README.md for the API")
}

/// Runs a search (CPU-bound engine work) off the async threads, on the searcher threads
/// ([`searchers`]), in the request's span, so that what it logs names the request.
async fn searching<T: Send + 'static, E: Into<ApiError> + Send + 'static>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError> {
    let span = tracing::Span::current();
    let answer = match searchers::Searchers::shared() {
        Ok(searchers) => searchers.run(move || span.in_scope(work)).await,
        Err(failed) => Err(failed),
    };
    answered(answer.map_err(|e| e.to_string()))
}

/// Runs work that may wait on the disk or a lock (a write and its commit, the health check)
/// on tokio's blocking threads, where it holds no searcher, in the request's span.
async fn blocking<T: Send + 'static, E: Into<ApiError> + Send + 'static>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError> {
    let span = tracing::Span::current();
    let answer = tokio::task::spawn_blocking(move || span.in_scope(work)).await;
    answered(answer.map_err(|e| e.to_string()))
}

/// The work's result, or a logged 500 when it did not end (it panicked).
fn answered<T, E: Into<ApiError>>(answer: Result<Result<T, E>, String>) -> Result<T, ApiError> {
    match answer {
        Ok(result) => result.map_err(Into::into),
        Err(e) => {
            tracing::error!(error = %e, "search task failed");
            Err(ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server failed to answer; the error is logged",
            ))
        }
    }
}

async fn run_search(engine: AppState, params: SearchParams) -> Result<ResponseJson, ApiError> {
    searching(move || {
        let request = engine.validate(&params)?;
        ResponseJson::of(engine.search(&request)?)
    })
    .await
}

/// A search or commitment search response as the API sends it: compact JSON whose region
/// tree is written without serde ([`crate::response_json`]), by the searcher that ran it.
struct ResponseJson(Vec<u8>);

impl ResponseJson {
    fn of<R: WithRegionTree>(response: R) -> Result<Self, ApiError> {
        response_json::to_json(response)
            .map(ResponseJson)
            .map_err(|e| {
                tracing::error!(error = %e, "a response could not be written as JSON");
                ApiError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server failed to write its answer; the error is logged",
                )
            })
    }
}

impl IntoResponse for ResponseJson {
    fn into_response(self) -> Response {
        let json = HeaderValue::from_static("application/json");
        ([(header::CONTENT_TYPE, json)], self.0).into_response()
    }
}

/// Refuses a query string whose percent-encoded bytes are not UTF-8 (the URL decoder would
/// otherwise replace them and search for something the caller never typed).
fn check_utf8(raw: Option<&str>) -> Result<(), ApiError> {
    let Some(raw) = raw else { return Ok(()) };
    for pair in raw.split('&') {
        if percent_encoding::percent_decode_str(pair)
            .decode_utf8()
            .is_err()
        {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_parameter",
                format!("the query string is not valid UTF-8 after percent-decoding: {pair:?}"),
            ));
        }
    }
    Ok(())
}

/// Search replies: words, phrases, 文号; filters; disjunctive facets; highlights.
#[utoipa::path(
    get,
    path = "/api/search",
    params(SearchParams),
    responses(
        (status = 200, description = "Matching replies, best first, with facet counts", body = SearchResponse),
        (status = 400, description = "A parameter or the query text is invalid", body = error::Body),
    )
)]
async fn search_get(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<ResponseJson, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    run_search(engine, params).await
}

/// Search replies with the parameters as a JSON body (lists may be arrays).
#[utoipa::path(
    post,
    path = "/api/search",
    request_body = SearchParams,
    responses(
        (status = 200, description = "Matching replies, best first, with facet counts", body = SearchResponse),
        (status = 400, description = "The body or a parameter is invalid", body = error::Body),
    )
)]
async fn search_post(
    State(engine): State<AppState>,
    params: Result<Json<SearchParams>, JsonRejection>,
) -> Result<ResponseJson, ApiError> {
    let Json(params) = params?;
    run_search(engine, params).await
}

async fn run_commitments(engine: AppState, params: SearchParams) -> Result<ResponseJson, ApiError> {
    searching(move || {
        let request = engine.validate_for(Target::Commitments, &params)?;
        ResponseJson::of(engine.search_commitments(&request)?)
    })
    .await
}

/// Search commitments (承诺) on their own, with their reply's facets and their own
/// (`strength`, `has_quantity`).
#[utoipa::path(
    get,
    path = "/api/commitments",
    params(SearchParams),
    responses(
        (status = 200, description = "Matching commitments with their replies and facet counts", body = CommitmentResponse),
        (status = 400, description = "A parameter or the query text is invalid", body = error::Body),
    )
)]
async fn commitments_get(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<ResponseJson, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    run_commitments(engine, params).await
}

/// Search commitments with the parameters as a JSON body.
#[utoipa::path(
    post,
    path = "/api/commitments",
    request_body = SearchParams,
    responses(
        (status = 200, description = "Matching commitments with their replies and facet counts", body = CommitmentResponse),
        (status = 400, description = "The body or a parameter is invalid", body = error::Body),
    )
)]
async fn commitments_post(
    State(engine): State<AppState>,
    params: Result<Json<SearchParams>, JsonRejection>,
) -> Result<ResponseJson, ApiError> {
    let Json(params) = params?;
    run_commitments(engine, params).await
}

/// Parameters of `GET /api/replies/{id}`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ReplyParams {
    /// A query in the search's language: the reply comes with `marks`, every place its text
    /// matches the query's words and phrases (what a search hit highlights), over the whole
    /// text.
    q: Option<String>,
}

/// A whole reply: its text, every extracted field and where it came from.
#[utoipa::path(
    get,
    path = "/api/replies/{id}",
    params(
        ("id" = String, Path, description = "The reply's id (the file stem, or the `id` of its JSON line)"),
        ReplyParams,
    ),
    responses(
        (status = 200, description = "The reply", body = ReplyRecord),
        (status = 400, description = "`q` is not a valid query", body = error::Body),
        (status = 404, description = "No reply has this id", body = error::Body),
    )
)]
async fn reply(
    State(engine): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    params: Result<Query<ReplyParams>, QueryRejection>,
) -> Result<Json<ReplyRecord>, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    let query = match params.q.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => Some(crate::query_text::parse(q)?),
        _ => None,
    };
    Ok(Json(
        searching(move || match &query {
            Some(query) => engine.reply_marked(&id, query),
            None => engine.reply(&id),
        })
        .await?,
    ))
}

/// One topic of the index's taxonomy.
#[derive(Serialize, utoipa::ToSchema)]
struct TopicLabel {
    /// What the API speaks: `topic` filters, facet values, `topics` of a reply.
    slug: String,
    /// What people read (科技与人才).
    label: String,
}

/// The topics (议题) replies are tagged with, in the taxonomy's order: slugs and their Chinese
/// labels (from the topic rules the index was built with).
#[utoipa::path(
    get,
    path = "/api/topics",
    responses((status = 200, description = "Every topic, with its label", body = [TopicLabel]))
)]
async fn topics(State(engine): State<AppState>) -> Json<Vec<TopicLabel>> {
    Json(
        engine
            .extractor()
            .topic_rules()
            .topics()
            .iter()
            .map(|t| TopicLabel {
                slug: t.slug.clone(),
                label: t.label.clone(),
            })
            .collect(),
    )
}

/// The server's state.
#[derive(Serialize, utoipa::ToSchema)]
struct Health {
    /// `ok`.
    status: &'static str,
    /// Replies searched.
    replies: u64,
    /// Documents in the index: replies and their commitments.
    documents: u64,
    /// Segments of the searched commit.
    segments: usize,
    /// Size of the index's files on disk, in bytes (0 for an index in memory).
    index_bytes: u64,
    /// When the searched commit was made, and by what; `null` for an index never committed
    /// (or committed by a dafu that did not say).
    last_commit: Option<LastCommit>,
    /// Seconds since the searched commit was made.
    last_commit_age_seconds: Option<u64>,
    /// Version of the domain dictionary the index was built with (CRC-32 of its files).
    dictionary_version: String,
    /// Words in the segmenter's dictionaries (jieba's, the domain's, the place names).
    dictionary_words: usize,
    /// Whether this server accepts live updates (it was started with an admin token).
    writes_enabled: bool,
    /// dafu's version.
    version: &'static str,
}

/// Whether the server was started with an admin token (for the health report).
#[derive(Debug, Clone, Copy)]
struct WritesEnabled(bool);

/// A commit's time and author.
#[derive(Serialize, utoipa::ToSchema)]
struct LastCommit {
    /// RFC 3339, UTC.
    at: String,
    unix_seconds: u64,
    /// `dafu index` or `live update`.
    by: String,
}

/// Whether the server is up, and what it serves: index size, last commit, dictionary version.
#[utoipa::path(
    get,
    path = "/api/health",
    responses((status = 200, description = "The server is up", body = Health))
)]
async fn health(
    State(engine): State<AppState>,
    Extension(WritesEnabled(writes_enabled)): Extension<WritesEnabled>,
) -> Result<Json<Health>, ApiError> {
    blocking(move || {
        let index = engine.index();
        let searcher = engine.searcher();
        let last_commit = index.last_commit()?.map(|stamp| LastCommit {
            at: rfc3339(stamp.unix_seconds),
            unix_seconds: stamp.unix_seconds,
            by: stamp.by,
        });
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok::<_, QueryError>(Json(Health {
            status: "ok",
            replies: engine.num_replies(),
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            index_bytes: index.path().map_or(0, files_size),
            last_commit_age_seconds: last_commit
                .as_ref()
                .map(|c| now.saturating_sub(c.unix_seconds)),
            last_commit,
            dictionary_version: index.analysis().dictionary_version(),
            dictionary_words: index.analysis().dictionary_words(),
            writes_enabled,
            version: env!("CARGO_PKG_VERSION"),
        }))
    })
    .await
}

/// Bytes of the files directly in `dir` (tantivy keeps an index's files flat).
fn files_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// `2026-12-02T19:04:24Z` for a Unix time.
fn rfc3339(unix_seconds: u64) -> String {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
