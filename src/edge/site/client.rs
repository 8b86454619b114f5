//! The console worker's side of the Site object: one stub fetch per call (`crate::site_protocol`),
//! addressed by the site id (`SITE` binding, `id_from_name`). A failure of the object is the core's
//! retryable `Error::Storage`; the one answer a caller must tell apart, a cascade that does not
//! exist, comes back as `Error::UnknownCascade`.

use crate::edge::app::{storage, App};
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Method, Request, RequestInit, Stub};

/// A handle on one site's object.
pub(crate) struct SiteObject {
    stub: Stub,
    site: String,
}

impl SiteObject {
    pub(crate) fn of(app: &App, site: &str) -> Result<SiteObject> {
        let namespace = app.env.durable_object("SITE").map_err(|_| Error::Config("Durable Object binding SITE is missing"))?;
        let stub = namespace.id_from_name(site).and_then(|id| id.get_stub()).map_err(storage)?;
        Ok(SiteObject { stub, site: site.to_owned() })
    }

    /// One call: `path` with `site` and `query` as parameters; the answer's body on success.
    async fn call(&self, method: Method, path: &str, query: &[(&str, String)], body: Option<String>) -> Result<String> {
        let mut url = url::Url::parse("https://site.object/").map_err(|e| Error::Storage(e.to_string()))?;
        url.set_path(path);
        url.query_pairs_mut().append_pair("site", &self.site).extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        let mut init = RequestInit::new();
        init.with_method(method);
        if let Some(body) = body {
            init.with_body(Some(body.into()));
        }
        let request = Request::new_with_init(url.as_str(), &init).map_err(storage)?;
        let mut response = self.stub.fetch_with_request(request).await.map_err(storage)?;
        let status = response.status_code();
        let text = response.text().await.map_err(storage)?;
        if (200..300).contains(&status) {
            return Ok(text);
        }
        let error: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let code = error["error"]["code"].as_str().unwrap_or_default();
        Err(if code == Error::UnknownCascade.code() { Error::UnknownCascade } else { Error::Storage(format!("site object answered {status}: {}", error["error"]["message"].as_str().unwrap_or(&text))) })
    }

    /// `GET path?site&query…` → the body as is (a rendered report).
    pub(crate) async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<String> {
        self.call(Method::Get, path, query, None).await
    }

    /// `GET` → the body parsed.
    pub(crate) async fn get_json<A: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> Result<A> {
        serde_json::from_str(&self.get(path, query).await?).map_err(|e| Error::Storage(e.to_string()))
    }

    /// `POST path?site` with `body` as JSON → the answer parsed.
    pub(crate) async fn post<T: Serialize, A: DeserializeOwned>(&self, path: &str, body: &T) -> Result<A> {
        let body = serde_json::to_string(body).map_err(|e| Error::Storage(e.to_string()))?;
        let text = self.call(Method::Post, path, &[], Some(body)).await?;
        serde_json::from_str(&text).map_err(|e| Error::Storage(e.to_string()))
    }
}
