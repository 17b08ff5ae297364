//! Sending SDK requests through the retry helper, with error mapping and
//! call counting.

use std::error::Error;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use berth_provider::{ErrorClass, ProviderError};

use crate::retry::{self, Replay};
use crate::{AwsProvider, errors};

impl AwsProvider {
    /// `err` naming the endpoint when the request got no answer: the one
    /// thing a user needs to see to fix it.
    fn located(&self, service: &str, err: ProviderError) -> ProviderError {
        let mut err = self.plain(err);
        if err.class == ErrorClass::Unreachable || err.code == "Timeout" {
            let endpoint = self.endpoint.clone().unwrap_or_else(|| match service {
                "iam" => "https://iam.amazonaws.com".to_owned(),
                "elbv2" => format!("https://elasticloadbalancing.{}.amazonaws.com", self.region),
                _ => format!("https://{service}.{}.amazonaws.com", self.region),
            });
            err.message = format!("{} (endpoint {endpoint})", err.message);
        }
        err
    }

    /// Credential errors in one line a person can act on; the SDK's own
    /// account of them (every provider of the chain tried) only when
    /// verbose.
    fn plain(&self, mut err: ProviderError) -> ProviderError {
        let advice = if err.code == errors::NO_CREDENTIALS {
            match &self.profile {
                Some(p) => format!(
                    "no AWS credentials: profile `{p}` (AWS_PROFILE) is not in the AWS config or credentials files, or has no credentials"
                ),
                None => "no AWS credentials: none in the environment, the shared config or credentials files (default profile), SSO, web identity, or container or instance metadata; set AWS_PROFILE or run `aws configure`".to_owned(),
            }
        } else if errors::EXPIRED.contains(&err.code.as_str()) {
            "the AWS credentials have expired: refresh them (for SSO: `aws sso login`)".to_owned()
        } else {
            return err;
        };
        err.message = if self.verbose {
            format!("{advice}\n{}", err.message)
        } else {
            format!("{advice} (-v for details)")
        };
        err
    }

    /// Tells the pacing how a call of `service` went.
    fn paced<T>(&self, service: &str, result: &Result<T, ProviderError>) {
        match result {
            Ok(_) => self.pacing.succeeded(service),
            Err(e) if e.class == ErrorClass::Throttling => self.pacing.throttled(service),
            Err(_) => {}
        }
    }

    /// Sends the request `f` builds as `service:op`, paced
    /// ([`crate::pace`]), retrying throttling and transient errors. For
    /// idempotent calls: reads, updates, deletes, creates with a client
    /// token.
    pub(crate) async fn call<T, E, F, Fut>(&self, service: &str, op: &str, f: F) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        self.send(service, op, Replay::Safe, f).await
    }

    /// Like [`AwsProvider::call`], for a create that is not idempotent: sent
    /// again only after an answer saying it did nothing (throttling, eventual
    /// consistency). Without an answer it fails as
    /// [`ErrorClass::Indeterminate`], and the executor looks for the
    /// resource before creating again.
    pub(crate) async fn call_once<T, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        f: F,
    ) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        self.send(service, op, Replay::Once, f).await
    }

    async fn send<T, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        replay: Replay,
        f: F,
    ) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        self.attempts(service, op, replay, f, |r| r.map_err(|e| errors::from_sdk(op, e)))
            .await
    }

    /// Like [`AwsProvider::call`], but an error with one of `gone` codes
    /// (the resource does not exist) is `Ok(None)`: for deletes, which must
    /// succeed when the resource is already gone.
    pub(crate) async fn call_unless<T, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        gone: &[&str],
        f: F,
    ) -> Result<Option<T>, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        self.call_unless_repeated(service, op, gone, &[], f).await
    }

    /// Like [`AwsProvider::call`], for a call that adds something to an
    /// existing resource (a rule, a route, an association) and fails with
    /// one of `done` codes when it is there already. After an attempt that
    /// got no answer, such a failure means that attempt took effect:
    /// `Ok(None)`. On a first attempt it stays an error (something else put
    /// it there).
    pub(crate) async fn call_repeatable<T, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        done: &[&str],
        f: F,
    ) -> Result<Option<T>, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        self.call_unless_repeated(service, op, &[], done, f).await
    }

    /// [`AwsProvider::call_unless`] and [`AwsProvider::call_repeatable`]
    /// at once, for a delete that fails differently when sent again after
    /// an unanswered one took effect: an error with one of `gone` codes is
    /// `Ok(None)` always, one with a `done` code only after an attempt that
    /// got no answer.
    pub(crate) async fn call_unless_repeated<T, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        gone: &[&str],
        done: &[&str],
        f: F,
    ) -> Result<Option<T>, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        let unanswered = AtomicBool::new(false);
        self.attempts(service, op, Replay::Safe, f, |r| {
            let result = match r {
                Ok(v) => Ok(Some(v)),
                Err(e) if e.code().is_some_and(|c| gone.contains(&c)) => Ok(None),
                Err(e)
                    if unanswered.load(Ordering::Relaxed) && e.code().is_some_and(|c| done.contains(&c)) =>
                {
                    Ok(None)
                }
                Err(e) => Err(errors::from_sdk(op, e)),
            };
            if result.as_ref().is_err_and(errors::unanswered) {
                unanswered.store(true, Ordering::Relaxed);
            }
            result
        })
        .await
    }

    /// Sends the request `f` builds as `service:op` until `answer` (what an
    /// attempt's outcome means) says it succeeded or the retry policy gives
    /// up: every attempt paced ([`crate::pace`]) and counted, the final
    /// error naming the endpoint if it got no answer.
    async fn attempts<T, U, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        replay: Replay,
        f: F,
        answer: impl Fn(Result<T, SdkError<E, HttpResponse>>) -> Result<U, ProviderError>,
    ) -> Result<U, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        retry::run(&self.retry, &self.stats, (service, op), replay, || async {
            let _turn = self.pacing.permit(service).await;
            let result = answer(f().await);
            self.paced(service, &result);
            result
        })
        .await
        .map_err(|e| self.located(service, e))
    }

    /// Runs a whole paginated listing (`f` drives an SDK paginator and
    /// returns the items and the number of pages) as one retried unit; each
    /// page counts as a call.
    pub(crate) async fn list<T, E, F, Fut>(
        &self,
        service: &str,
        op: &str,
        f: F,
    ) -> Result<Vec<T>, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(Vec<T>, u64), SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    {
        let (items, pages) = self.call(service, op, f).await?;
        self.stats.add_calls(service, op, pages.saturating_sub(1));
        Ok(items)
    }
}
