//! The HTTP API (axum): `fn router(engine) -> Router`, thin handlers that validate, call the
//! engine on a blocking thread and map its result, and the search page at `/`.
//!
//! The OpenAPI 3 document (`GET /api/openapi.json`) is generated from this code: each API
//! handler carries a `#[utoipa::path]` and is registered through `utoipa_axum::routes!`, which
//! adds the route and its documentation together, so neither can exist without the other; the
//! request and response types derive their schemas.

mod error;
mod export;
mod page;
mod stats;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, RawQuery, State};
use axum::routing::get;
use serde::Serialize;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;

use crate::engine::SearchEngine;
use crate::error::QueryError;
use crate::request::{SearchParams, Target};
use crate::response::{CommitmentResponse, ReplyRecord, SearchResponse};

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
    components(schemas(error::Body))
)]
struct ApiDoc;

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
    api().1
}

/// The whole application: API routes, their OpenAPI document, the search page and its
/// assets, JSON 404s, request tracing.
pub fn router(engine: AppState) -> Router {
    let (routes, doc) = api();
    let doc = Arc::new(doc);
    routes
        .merge(page::routes())
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(not_found)
        .layer(TraceLayer::new_for_http())
        .with_state(engine)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see README.md for the API")
}

/// Runs CPU-bound engine work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, QueryError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(ApiError::from),
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

async fn run_search(
    engine: AppState,
    params: SearchParams,
) -> Result<Json<SearchResponse>, ApiError> {
    let response = blocking(move || {
        let request = engine.validate(&params)?;
        engine.search(&request)
    })
    .await?;
    Ok(Json(response))
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
) -> Result<Json<SearchResponse>, ApiError> {
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
) -> Result<Json<SearchResponse>, ApiError> {
    let Json(params) = params?;
    run_search(engine, params).await
}

async fn run_commitments(
    engine: AppState,
    params: SearchParams,
) -> Result<Json<CommitmentResponse>, ApiError> {
    let response = blocking(move || {
        let request = engine.validate_for(Target::Commitments, &params)?;
        engine.search_commitments(&request)
    })
    .await?;
    Ok(Json(response))
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
) -> Result<Json<CommitmentResponse>, ApiError> {
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
) -> Result<Json<CommitmentResponse>, ApiError> {
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
        blocking(move || match &query {
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
    status: &'static str,
    replies: u64,
    dictionary_words: usize,
    version: &'static str,
}

/// Whether the server is up, and what it serves.
#[utoipa::path(
    get,
    path = "/api/health",
    responses((status = 200, description = "The server is up", body = Health))
)]
async fn health(State(engine): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        replies: engine.num_replies(),
        dictionary_words: engine.index().analysis().dictionary_words(),
        version: env!("CARGO_PKG_VERSION"),
    })
}
