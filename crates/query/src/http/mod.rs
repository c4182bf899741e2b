//! The HTTP API (axum): `fn router(engine) -> Router`, thin handlers that validate, call the
//! engine on a blocking thread and map its result, and the search page at `/`.

mod error;
mod stats;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use serde::Serialize;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::engine::SearchEngine;
use crate::error::QueryError;
use crate::request::{SearchParams, Target};
use crate::response::{CommitmentResponse, ReplyRecord, SearchResponse};

/// Shared state of the handlers.
pub type AppState = Arc<SearchEngine>;

static PAGE: &str = include_str!("page.html");

/// The whole application: API routes, the page, JSON 404s, request tracing.
pub fn router(engine: AppState) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/search", get(search_get).post(search_post))
        .route(
            "/api/commitments",
            get(commitments_get).post(commitments_post),
        )
        .route("/api/stats", get(stats::stats_get).post(stats::stats_post))
        .route("/api/replies/{id}", get(reply))
        .route("/api/health", get(health))
        .fallback(not_found)
        .layer(TraceLayer::new_for_http())
        .with_state(engine)
}

async fn page() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-cache")], Html(PAGE))
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

async fn search_get(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    run_search(engine, params).await
}

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

async fn commitments_get(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<CommitmentResponse>, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    run_commitments(engine, params).await
}

async fn commitments_post(
    State(engine): State<AppState>,
    params: Result<Json<SearchParams>, JsonRejection>,
) -> Result<Json<CommitmentResponse>, ApiError> {
    let Json(params) = params?;
    run_commitments(engine, params).await
}

async fn reply(
    State(engine): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ReplyRecord>, ApiError> {
    Ok(Json(blocking(move || engine.reply(&id)).await?))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    replies: u64,
    dictionary_words: usize,
    version: &'static str,
}

async fn health(State(engine): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        replies: engine.num_replies(),
        dictionary_words: engine.index().analysis().dictionary_words(),
        version: env!("CARGO_PKG_VERSION"),
    })
}
