//! `/api/stats`: the analytics endpoint, GET with URL parameters or POST with a JSON body.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, RawQuery, State};

use super::{AppState, check_utf8, searching};
use crate::http::ApiError;
use crate::request::SearchParams;
use crate::stats::StatsResponse;

async fn run_stats(
    engine: AppState,
    params: SearchParams,
) -> Result<Json<StatsResponse>, ApiError> {
    let response = searching(move || {
        let request = engine.validate_stats(&params)?;
        engine.stats(&request)
    })
    .await?;
    Ok(Json(response))
}

/// Count matrices for trend charts: the current query and filters grouped by one or two
/// dimensions, and the top departments.
#[utoipa::path(
    get,
    path = "/api/stats",
    params(SearchParams),
    responses(
        (status = 200, description = "Counts per value (or pair of values) of `group_by`", body = StatsResponse),
        (status = 400, description = "A parameter, `group_by` or the query text is invalid", body = super::error::Body),
    )
)]
pub(super) async fn stats_get(
    State(engine): State<AppState>,
    RawQuery(raw): RawQuery,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<StatsResponse>, ApiError> {
    check_utf8(raw.as_deref())?;
    let Query(params) = params?;
    run_stats(engine, params).await
}

/// The same as `GET /api/stats`, with the parameters as a JSON body.
#[utoipa::path(
    post,
    path = "/api/stats",
    request_body = SearchParams,
    responses(
        (status = 200, description = "Counts per value (or pair of values) of `group_by`", body = StatsResponse),
        (status = 400, description = "The body or a parameter is invalid", body = super::error::Body),
    )
)]
pub(super) async fn stats_post(
    State(engine): State<AppState>,
    params: Result<Json<SearchParams>, JsonRejection>,
) -> Result<Json<StatsResponse>, ApiError> {
    let Json(params) = params?;
    run_stats(engine, params).await
}
